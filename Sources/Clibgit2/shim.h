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

/* Starting a child (ChildProcess.swift): glibc declares these only under _GNU_SOURCE, which the
   Swift Glibc module is not built with; they are in glibc since 2.34 (closefrom), 2.29 (chdir). */
#include <spawn.h>
#include <unistd.h>
#include <fcntl.h>
#ifdef __linux__
extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
/* A pipe whose ends close on exec, made in one step (no other thread's child inherits it). */
static inline int cs_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
/* Every descriptor from `from` up closes in the child. */
static inline int cs_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
static inline int cs_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
#elif defined(__APPLE__)
static inline int cs_pipe_cloexec(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}
/* Darwin closes the rest with POSIX_SPAWN_CLOEXEC_DEFAULT instead. */
static inline int cs_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    (void)actions; (void)from;
    return 0;
}
static inline int cs_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
#endif

#endif
