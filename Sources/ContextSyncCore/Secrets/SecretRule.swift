/// A detection rule of `SecretScanner`: its stable id (what findings, `<REDACTED:id>` markers and
/// JSON output carry) and what it looks for.
public struct SecretRule: Sendable, Equatable {
    public var id: String
    public var summary: String

    /// Every rule, in the order of `RuleKind`.
    public static let all: [SecretRule] = RuleKind.allCases.map { SecretRule(id: $0.id, summary: $0.summary) }
}

/// The rules. Higher `priority` wins when two candidates overlap (a provider format beats a
/// keyword-and-entropy guess about the same characters).
enum RuleKind: UInt8, CaseIterable, Sendable {
    case awsAccessKeyID, awsSecretAccessKey
    case githubToken, githubFineGrainedPAT, gitlabToken
    case slackToken, slackWebhookURL
    case stripeKey, stripeWebhookSecret
    case googleAPIKey, googleOAuthToken, gcpServiceAccountKey
    case openAIKey, anthropicKey, huggingFaceToken
    case npmToken, pypiToken, rubygemsToken, nugetKey, clojarsToken
    case twilioAPIKey, sendgridKey, mailgunKey
    case azureConnectionString
    case shopifyToken, digitalOceanToken, databricksToken, linearKey, postmanKey, dopplerToken
    case squareToken, ageSecretKey, grafanaToken, dockerPAT, planetScaleToken, atlassianToken
    case sentryToken, vaultToken, notionToken
    case jwt, privateKey
    case urlCredentials, databaseConnectionString
    case authorizationBearer, authorizationBasic
    case genericPassword, genericSecret

    var id: String {
        switch self {
        case .awsAccessKeyID: "aws-access-key-id"
        case .awsSecretAccessKey: "aws-secret-access-key"
        case .githubToken: "github-token"
        case .githubFineGrainedPAT: "github-fine-grained-pat"
        case .gitlabToken: "gitlab-token"
        case .slackToken: "slack-token"
        case .slackWebhookURL: "slack-webhook-url"
        case .stripeKey: "stripe-key"
        case .stripeWebhookSecret: "stripe-webhook-secret"
        case .googleAPIKey: "google-api-key"
        case .googleOAuthToken: "google-oauth-token"
        case .gcpServiceAccountKey: "gcp-service-account-key"
        case .openAIKey: "openai-api-key"
        case .anthropicKey: "anthropic-api-key"
        case .huggingFaceToken: "huggingface-token"
        case .npmToken: "npm-token"
        case .pypiToken: "pypi-token"
        case .rubygemsToken: "rubygems-token"
        case .nugetKey: "nuget-api-key"
        case .clojarsToken: "clojars-token"
        case .twilioAPIKey: "twilio-api-key"
        case .sendgridKey: "sendgrid-api-key"
        case .mailgunKey: "mailgun-api-key"
        case .azureConnectionString: "azure-connection-string"
        case .shopifyToken: "shopify-token"
        case .digitalOceanToken: "digitalocean-token"
        case .databricksToken: "databricks-token"
        case .linearKey: "linear-api-key"
        case .postmanKey: "postman-api-key"
        case .dopplerToken: "doppler-token"
        case .squareToken: "square-token"
        case .ageSecretKey: "age-secret-key"
        case .grafanaToken: "grafana-token"
        case .dockerPAT: "docker-pat"
        case .planetScaleToken: "planetscale-token"
        case .atlassianToken: "atlassian-api-token"
        case .sentryToken: "sentry-token"
        case .vaultToken: "vault-token"
        case .notionToken: "notion-token"
        case .jwt: "jwt"
        case .privateKey: "private-key"
        case .urlCredentials: "url-credentials"
        case .databaseConnectionString: "database-connection-string"
        case .authorizationBearer: "authorization-bearer"
        case .authorizationBasic: "authorization-basic"
        case .genericPassword: "generic-password"
        case .genericSecret: "generic-secret"
        }
    }

    var summary: String {
        switch self {
        case .awsAccessKeyID: "AWS access key id (AKIA/ASIA/ABIA/ACCA + 16 upper-case alphanumerics)"
        case .awsSecretAccessKey: "AWS secret access key: 40 base64 characters assigned to an aws/secret-access-key name"
        case .githubToken: "GitHub token ghp_/gho_/ghu_/ghs_/ghr_ + 36 or more alphanumerics"
        case .githubFineGrainedPAT: "GitHub fine-grained personal access token github_pat_…"
        case .gitlabToken: "GitLab token glpat-/glrt-/gldt-/glptt-/glcbt- + 20 or more characters"
        case .slackToken: "Slack token xoxa-/xoxb-/xoxp-/xoxr-/xoxs-/xoxe-/xapp-"
        case .slackWebhookURL: "Slack incoming webhook URL hooks.slack.com/services/T…/B…/…"
        case .stripeKey: "Stripe secret or restricted key sk_/rk_ + live/test/prod"
        case .stripeWebhookSecret: "Stripe webhook signing secret whsec_…"
        case .googleAPIKey: "Google API key AIza + 35 characters"
        case .googleOAuthToken: "Google OAuth access token ya29.…"
        case .gcpServiceAccountKey: "Google service-account JSON \"private_key\" holding a PEM key"
        case .openAIKey: "OpenAI key sk-… / sk-proj-… / sk-svcacct-… / sk-admin-…"
        case .anthropicKey: "Anthropic key sk-ant-… (with its inner dashes)"
        case .huggingFaceToken: "Hugging Face token hf_ + 34 letters/digits"
        case .npmToken: "npm token npm_ + 36 alphanumerics"
        case .pypiToken: "PyPI upload token pypi-AgE…"
        case .rubygemsToken: "RubyGems API key rubygems_ + 48 hex"
        case .nugetKey: "NuGet API key oy2 + 43 lower-case alphanumerics"
        case .clojarsToken: "Clojars deploy token CLOJARS_ + 60 alphanumerics"
        case .twilioAPIKey: "Twilio API key SK + 32 hex"
        case .sendgridKey: "SendGrid API key SG.<22>.<43>"
        case .mailgunKey: "Mailgun API key key- + 32 alphanumerics"
        case .azureConnectionString: "Azure connection string AccountKey= / SharedAccessKey= value"
        case .shopifyToken: "Shopify token shpat_/shpss_/shpca_/shppa_ + 32 hex"
        case .digitalOceanToken: "DigitalOcean token dop_v1_/doo_v1_/dor_v1_ + 64 hex"
        case .databricksToken: "Databricks token dapi + 32 hex"
        case .linearKey: "Linear API key lin_api_ + 40 alphanumerics"
        case .postmanKey: "Postman API key PMAK-…"
        case .dopplerToken: "Doppler token dp.pt./dp.st./dp.ct./dp.sa. + 40 or more alphanumerics"
        case .squareToken: "Square token sq0atp-/sq0csp-/EAAA…"
        case .ageSecretKey: "age secret key AGE-SECRET-KEY-1…"
        case .grafanaToken: "Grafana token glsa_/glc_…"
        case .dockerPAT: "Docker Hub personal access token dckr_pat_…"
        case .planetScaleToken: "PlanetScale token pscale_tkn_/pscale_pw_/pscale_oauth_…"
        case .atlassianToken: "Atlassian API token ATATT3…"
        case .sentryToken: "Sentry token sntryu_/sntrys_…"
        case .vaultToken: "HashiCorp Vault token hvs./hvb. …"
        case .notionToken: "Notion integration token ntn_…"
        case .jwt: "JSON Web Token eyJ….eyJ….… whose header decodes to JSON with alg/typ"
        case .privateKey: "PEM or OpenSSH private key block (-----BEGIN … PRIVATE KEY----- with a body)"
        case .urlCredentials: "password inside a URL scheme://user:password@host"
        case .databaseConnectionString: "password in a database URL or a Server=…;Password=…; connection string"
        case .authorizationBearer: "Authorization: Bearer <token> (also token/Bot schemes and bare header values)"
        case .authorizationBasic: "Authorization: Basic <base64 of user:password>"
        case .genericPassword: "a password-like name (password, passwd, pwd, pass) assigned a literal that is not a placeholder; curl -u user:password"
        case .genericSecret: "a secret-like name (secret, token, api_key, access_key, private_key, auth, credential…) assigned a high-entropy literal"
        }
    }

    /// Overlap resolution order: specific formats first, then structural rules, then generic ones.
    var priority: Int {
        switch self {
        case .genericSecret, .genericPassword: 0
        case .authorizationBearer, .authorizationBasic, .urlCredentials, .databaseConnectionString: 1
        case .awsSecretAccessKey, .azureConnectionString: 2
        case .jwt: 3
        case .privateKey, .gcpServiceAccountKey: 5
        default: 4
        }
    }
}
