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

/* prctl is C-variadic too: a child that must not outlive its parent asks for a signal when the
   parent dies (Linux only; elsewhere the caller polls getppid()). */
#ifdef __linux__
#include <sys/prctl.h>
static inline int cs_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0UL, 0UL, 0UL);
}
#else
static inline int cs_set_parent_death_signal(int sig) {
    (void)sig;
    return -1;
}
#endif

#endif
