#ifndef CONTEXT_SYNC_LIBGIT2_SHIM_H
#define CONTEXT_SYNC_LIBGIT2_SHIM_H

#include <git2.h>

/* git_libgit2_opts is C-variadic, which Swift cannot call: one inline wrapper per option we use. */

static inline int cs_git_set_ssl_cert_file(const char *file) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, (const char *)0);
}

static inline int cs_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/* Allow extra repository extensions (e.g. "worktreeconfig") so such repositories open. */
static inline int cs_git_set_extensions(const char **names, size_t count) {
    return git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, names, count);
}

static inline int cs_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

#endif
