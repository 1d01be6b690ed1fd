// Starts a command stopped before execve, the way perf stat does: counters opened on the child
// with enable_on_exec then count exactly the command. The child only calls async-signal-safe
// functions between fork and execve, because the parent (Swift) is multi-threaded.
#define _GNU_SOURCE  // pipe2
#include "CPerfEvent.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_pair(int fds[2]) {
    close(fds[0]);
    close(fds[1]);
}

int bb_spawn_paused(const char *path, char *const argv[], char *const envp[], bb_paused_child *child) {
    int go[2], err[2];
    if (pipe2(go, O_CLOEXEC) != 0) return -1;
    if (pipe2(err, O_CLOEXEC) != 0) {
        int saved = errno;
        close_pair(go);
        errno = saved;
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close_pair(go);
        close_pair(err);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        // Ignored signals and the blocked mask survive execve: give the command a clean slate.
        struct sigaction dfl;
        dfl.sa_handler = SIG_DFL;
        dfl.sa_flags = 0;
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGINT, &dfl, 0);
        sigaction(SIGQUIT, &dfl, 0);
        sigaction(SIGPIPE, &dfl, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, 0);
        close(go[1]);
        close(err[0]);
        char byte;
        ssize_t n;
        do { n = read(go[0], &byte, 1); } while (n < 0 && errno == EINTR);
        if (n != 1) _exit(127);
        execve(path, argv, envp);
        int code = errno;
        ssize_t w;
        do { w = write(err[1], &code, sizeof code); } while (w < 0 && errno == EINTR);
        _exit(127);
    }
    close(go[0]);
    close(err[1]);
    child->pid = pid;
    child->go_fd = go[1];
    child->error_fd = err[0];
    return 0;
}

int bb_release_child(bb_paused_child *child) {
    char byte = 1;
    ssize_t w;
    do { w = write(child->go_fd, &byte, 1); } while (w < 0 && errno == EINTR);
    close(child->go_fd);
    child->go_fd = -1;
    int code = 0;
    ssize_t got = 0;
    while (got < (ssize_t)sizeof code) {
        ssize_t n = read(child->error_fd, (char *)&code + got, sizeof code - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += n;
    }
    close(child->error_fd);
    child->error_fd = -1;
    if (w != 1) return errno ? errno : EPIPE;
    return got == (ssize_t)sizeof code ? code : 0;
}

void bb_abandon_child(bb_paused_child *child) {
    // Closing the go pipe without a byte makes the child _exit(127); reap it.
    if (child->go_fd >= 0) close(child->go_fd);
    if (child->error_fd >= 0) close(child->error_fd);
    child->go_fd = child->error_fd = -1;
    int status;
    while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {}
}

int bb_wait_child(pid_t pid, bb_child_status *out) {
    int status = 0;
    struct rusage usage;
    pid_t r;
    do { r = wait4(pid, &status, 0, &usage); } while (r < 0 && errno == EINTR);
    if (r < 0) return -1;
    out->exited = WIFEXITED(status) ? 1 : 0;
    out->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    out->signaled = WIFSIGNALED(status) ? 1 : 0;
    out->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    out->user_seconds = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec * 1e-6;
    out->system_seconds = (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec * 1e-6;
    out->max_rss_kib = usage.ru_maxrss;
    return 0;
}
