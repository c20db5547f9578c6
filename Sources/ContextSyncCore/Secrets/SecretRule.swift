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
    case groqKey, xaiKey, perplexityKey, replicateToken, openRouterKey, langsmithKey, pineconeKey, herokuKey, flyioToken, buildkiteToken
    case pulumiToken, circleciToken, bitbucketAppPassword, newRelicKey, dynatraceToken, brevoKey, cratesToken, artifactoryKey, prefectKey, flutterwaveKey
    case braintreeToken, shippoToken, easypostKey, discordWebhook, telegramBotToken, teamsWebhook, azureADClientSecret, supabaseToken, neonKey, googleOAuthClientSecret, figmaToken, contentfulToken
    case onePasswordToken, mapboxSecret, alibabaKeyID, facebookToken, readmeKey, duffelToken, octopusKey, openshiftToken, airtableToken, infracostToken
    case jwkPrivateKey, commandPassword, sqlPassword
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
        case .groqKey: "groq-api-key"
        case .xaiKey: "xai-api-key"
        case .perplexityKey: "perplexity-api-key"
        case .replicateToken: "replicate-api-token"
        case .openRouterKey: "openrouter-api-key"
        case .langsmithKey: "langsmith-api-key"
        case .pineconeKey: "pinecone-api-key"
        case .herokuKey: "heroku-api-key"
        case .flyioToken: "flyio-token"
        case .buildkiteToken: "buildkite-token"
        case .pulumiToken: "pulumi-token"
        case .circleciToken: "circleci-token"
        case .bitbucketAppPassword: "bitbucket-app-password"
        case .newRelicKey: "newrelic-key"
        case .dynatraceToken: "dynatrace-token"
        case .brevoKey: "brevo-api-key"
        case .cratesToken: "crates-io-token"
        case .artifactoryKey: "artifactory-api-key"
        case .prefectKey: "prefect-api-key"
        case .flutterwaveKey: "flutterwave-secret-key"
        case .braintreeToken: "braintree-access-token"
        case .shippoToken: "shippo-token"
        case .easypostKey: "easypost-api-key"
        case .discordWebhook: "discord-webhook-url"
        case .telegramBotToken: "telegram-bot-token"
        case .teamsWebhook: "teams-webhook-url"
        case .azureADClientSecret: "azure-ad-client-secret"
        case .supabaseToken: "supabase-token"
        case .neonKey: "neon-api-key"
        case .googleOAuthClientSecret: "google-oauth-client-secret"
        case .figmaToken: "figma-token"
        case .contentfulToken: "contentful-token"
        case .onePasswordToken: "1password-service-account-token"
        case .mapboxSecret: "mapbox-secret-token"
        case .alibabaKeyID: "alibaba-access-key-id"
        case .facebookToken: "facebook-access-token"
        case .readmeKey: "readme-api-key"
        case .duffelToken: "duffel-token"
        case .octopusKey: "octopus-deploy-api-key"
        case .openshiftToken: "openshift-token"
        case .airtableToken: "airtable-token"
        case .infracostToken: "infracost-token"
        case .jwkPrivateKey: "jwk-private-key"
        case .commandPassword: "command-line-password"
        case .sqlPassword: "sql-password"
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
        case .groqKey: "Groq API key gsk_ + 52 alphanumerics"
        case .xaiKey: "xAI API key xai- + 80 alphanumerics"
        case .perplexityKey: "Perplexity API key pplx- + 48 alphanumerics"
        case .replicateToken: "Replicate API token r8_ + 37 alphanumerics"
        case .openRouterKey: "OpenRouter key sk-or-v1- + 64 hex"
        case .langsmithKey: "LangSmith key lsv2_pt_/lsv2_sk_ + 32 hex _ 10 hex"
        case .pineconeKey: "Pinecone API key pcsk_…"
        case .herokuKey: "Heroku API key HRKU-AA + 58 characters"
        case .flyioToken: "Fly.io token fo1_/fm1r_/fm1a_/fm2_…"
        case .buildkiteToken: "Buildkite token bkua_ + 40 hex"
        case .pulumiToken: "Pulumi access token pul- + 40 hex"
        case .circleciToken: "CircleCI personal token CCIPAT_…"
        case .bitbucketAppPassword: "Bitbucket app password ATBB + 32 alphanumerics"
        case .newRelicKey: "New Relic key NRAK-/NRII-/NRJS-…"
        case .dynatraceToken: "Dynatrace token dt0c01.<24>.<64>"
        case .brevoKey: "Brevo (Sendinblue) key xkeysib-<64 hex>-<16>"
        case .cratesToken: "crates.io token cio + 32 alphanumerics"
        case .artifactoryKey: "JFrog Artifactory API key AKCp…"
        case .prefectKey: "Prefect API key pnu_ + 36 alphanumerics"
        case .flutterwaveKey: "Flutterwave secret key FLWSECK-/FLWSECK_TEST-…"
        case .braintreeToken: "Braintree access token access_token$production$…"
        case .shippoToken: "Shippo token shippo_live_/shippo_test_ + 40 hex"
        case .easypostKey: "EasyPost API key EZAK/EZTK + 54 alphanumerics"
        case .discordWebhook: "Discord webhook URL discord.com/api/webhooks/<id>/<token>"
        case .telegramBotToken: "Telegram bot token <bot id>:A + 34 characters"
        case .teamsWebhook: "Microsoft Teams incoming webhook URL …webhook.office.com/webhookb2/…"
        case .azureADClientSecret: "Azure AD (Entra ID) client secret …Q~…"
        case .supabaseToken: "Supabase access token sbp_ + 40 hex, secret key sb_secret_…"
        case .neonKey: "Neon API key napi_ + 64 lower-case alphanumerics"
        case .googleOAuthClientSecret: "Google OAuth client secret GOCSPX- + 28 characters"
        case .figmaToken: "Figma personal access token figd_…"
        case .contentfulToken: "Contentful personal access token CFPAT- + 43 characters"
        case .onePasswordToken: "1Password service-account token ops_eyJ…"
        case .mapboxSecret: "Mapbox secret token sk.eyJ…"
        case .alibabaKeyID: "Alibaba Cloud access key id LTAI + 20 alphanumerics"
        case .facebookToken: "Facebook/Meta access token EAAC/EAAM + 100 or more alphanumerics"
        case .readmeKey: "ReadMe API key rdme_ + 70 lower-case alphanumerics"
        case .duffelToken: "Duffel token duffel_live_/duffel_test_ + 43 characters"
        case .octopusKey: "Octopus Deploy API key API- + 26 upper-case alphanumerics"
        case .openshiftToken: "OpenShift user token sha256~ + 43 characters"
        case .airtableToken: "Airtable personal access token pat<14>.<64 hex>"
        case .infracostToken: "Infracost API token ico- + 32 alphanumerics"
        case .jwkPrivateKey: "private member (d, p, q, dp, dq, qi, k) of a JSON Web Key"
        case .commandPassword: "a password given on a command line: mysql -pX, sshpass -p X, docker login -p X, htpasswd -b, sqlcmd/zip -P X, redis-cli -a X, smbclient -U u%X, ldap* -w X"
        case .sqlPassword: "IDENTIFIED BY '…' / PASSWORD '…' in a CREATE/ALTER USER/ROLE statement"
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
        case .privateKey, .gcpServiceAccountKey, .jwkPrivateKey: 5
        case .commandPassword, .sqlPassword: 1
        default: 4
        }
    }
}
