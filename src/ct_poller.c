/*
** ct_poller.c: one descriptor for a host's event loop to watch, whatever
** sockets libcurl opens and closes: an epoll instance (Linux) into which
** libcurl's socket callback adds, changes and removes its sockets, in C,
** in the order libcurl says (a socket leaves before it is closed, so a
** reused number is a new socket).
**
** Why not one poll handle per socket in the host's loop: the host only
** hears of a change after libcurl acted, when a socket may be closed or
** its number reused already; and libuv reports an errored socket (a
** refused or reset connection) as EBADF, which luv prints to stderr. The
** epoll descriptor itself is only ever readable: the host polls it for
** reading, calls client:ready(), and the core hands each ready socket to
** libcurl with the events epoll saw.
**
** Elsewhere ct_poller_fd returns -1 and hosts use client:watch()'s list of
** sockets (clickup.time.uv does both).
*/
#include <errno.h>
#include <unistd.h>

#include "ct_private.h"

#if defined(__linux__)
#include <sys/epoll.h>
#define CT_HAVE_EPOLL 1
#endif


#if defined(CT_HAVE_EPOLL)

/* libcurl's socket callback in poller mode: epoll follows what curl waits for */
static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp) {
  ct_client *cl = (ct_client *)userp;
  struct epoll_event ev;
  (void)e;
  if (what == CURL_POLL_REMOVE) {
    if (socketp != NULL)
      epoll_ctl(cl->poll_fd, EPOLL_CTL_DEL, s, NULL);   /* before curl closes it */
    return 0;
  }
  ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
  ev.data.fd = s;
  if (socketp != NULL && epoll_ctl(cl->poll_fd, EPOLL_CTL_MOD, s, &ev) == 0)
    return 0;
  if (epoll_ctl(cl->poll_fd, EPOLL_CTL_ADD, s, &ev) != 0
      && !(errno == EEXIST && epoll_ctl(cl->poll_fd, EPOLL_CTL_MOD, s, &ev) == 0))
    return -1;
  curl_multi_assign(cl->multi, s, (void *)cl);          /* known to epoll from now on */
  return 0;
}


int ct_poller_fd(ct_client *cl) {
  if (cl->poll_fd >= 0)
    return cl->poll_fd;
  if (!ct_multi_watch(cl))
    return -1;
  cl->poll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (cl->poll_fd < 0)
    return -1;
  if (curl_multi_setopt(cl->multi, CURLMOPT_SOCKETFUNCTION, on_socket) != CURLM_OK) {
    ct_poller_close(cl);
    return -1;
  }
  return cl->poll_fd;
}


int ct_poller_ready(ct_client *cl) {
  struct epoll_event ev[32];
  int i, n, running = 0, handled = 0;
  if (cl->poll_fd < 0)
    return 0;
  while ((n = epoll_wait(cl->poll_fd, ev, 32, 0)) > 0) {
    for (i = 0; i < n; i++) {
      int flags = (ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0)
                | (ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0)
                | (ev[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(cl->multi, ev[i].data.fd, flags, &running);
    }
    handled += n;
    if (n < 32 || handled > 1024)       /* the rest, if any, on the loop's next turn */
      break;
  }
  return handled;
}


void ct_poller_close(ct_client *cl) {
  if (cl->poll_fd >= 0) {
    close(cl->poll_fd);
    cl->poll_fd = -1;
  }
}

#else

int ct_poller_fd(ct_client *cl) { (void)cl; return -1; }
int ct_poller_ready(ct_client *cl) { (void)cl; return 0; }
void ct_poller_close(ct_client *cl) { (void)cl; }

#endif
