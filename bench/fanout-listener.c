/*
 * Listeners of `npm run bench:fanout`, in C with epoll: thousands of WebSocket clients in one
 * thread that only look for the sender's timestamps in the bytes they receive. The Node
 * listeners (fanout-clients.ts) spend more CPU than the server they measure on a small
 * machine; these spend a small fraction of it, so the figures are the servers'.
 *
 * usage: fanout-listener HOST PORT PATH KIND ROOM SEQ   (KIND: ruche | bare)
 * stdin: one session cookie per line (empty for bare), then "go"; later "collect" or "stop".
 * stdout: one JSON line per event: {"type":"ready",...}, {"type":"stats",...}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CARRY 512
#define BUCKETS 2000000 /* 0.1 ms steps, 200 s */
#define WAVE 100

typedef struct {
  int fd;
  int open;       /* 101 received */
  int subscribed; /* ruche: "subscribed" seen */
  int carry;
  char tail[CARRY];
  char *cookie;
} Conn;

static uint32_t hist[BUCKETS];
static uint64_t received = 0;
static Conn *conns;
static int nconns = 0, ready = 0, started = 0, failed = 0;
static const char *host, *path, *kind, *room;
static int port;
static long seq0;
static int ep;
static char rbuf[CARRY + 262144];
static const char MARKER[] = "\"body\":\"t=";
static const char SUBSCRIBED[] = "\"type\":\"subscribed\"";

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void send_text(int fd, const char *text) {
  size_t n = strlen(text);
  unsigned char head[8];
  size_t h;
  head[0] = 0x81;
  if (n < 126) { head[1] = 0x80 | n; h = 2; }
  else { head[1] = 0x80 | 126; head[2] = n >> 8; head[3] = n & 255; h = 4; }
  memset(head + h, 0, 4); /* mask key 0: the payload goes as is */
  char out[1024];
  memcpy(out, head, h + 4);
  memcpy(out + h + 4, text, n);
  if (write(fd, out, h + 4 + n) < 0) perror("write");
}

static void fail_one(void);
static void start_one(void) {
  if (started >= nconns) return;
  Conn *c = &conns[started++];
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  inet_pton(AF_INET, host, &a.sin_addr);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { close(fd); fail_one(); return; }
  fcntl(fd, F_SETFL, O_NONBLOCK);
  c->fd = fd;
  char req[2048];
  int n = snprintf(req, sizeof req,
                   "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n",
                   path, host, port, c->cookie[0] ? "Cookie: ruche_session=" : "", c->cookie, c->cookie[0] ? "\r\n" : "");
  if (write(fd, req, n) < 0) perror("write");
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int announced = 0;
static void check_done(void) {
  if (announced || ready + failed < nconns) return;
  announced = 1;
  printf("{\"type\":\"ready\",\"closedEarly\":%d}\n", failed);
  fflush(stdout);
}
static void became_ready(void) {
  ready++;
  start_one();
  check_done();
}
static void fail_one(void) {
  failed++;
  start_one();
  check_done();
}

/* Reads the number after a marker; -1 when the chunk ends inside it. */
static double stamp_at(const char *p, const char *end) {
  double v = 0, scale = 1;
  int frac = 0;
  for (; p < end; p++) {
    char ch = *p;
    if (ch == '.') frac = 1;
    else if (ch >= '0' && ch <= '9') {
      if (frac) { scale /= 10; v += (ch - '0') * scale; }
      else v = v * 10 + (ch - '0');
    } else return v;
  }
  return -1;
}

static void on_data(Conn *c) {
  for (;;) {
    memcpy(rbuf, c->tail, c->carry);
    size_t room_left = sizeof rbuf - c->carry;
    ssize_t r = read(c->fd, rbuf + c->carry, room_left);
    if (r <= 0) {
      if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        if (!c->subscribed) { c->subscribed = 1; fail_one(); }
      }
      return;
    }
    double t = now_ms();
    char *buf = rbuf, *end = rbuf + c->carry + r;
    c->carry = 0;
    if (!c->open) {
      char *hdr = memmem(buf, end - buf, "\r\n\r\n", 4);
      if (!hdr) {
        size_t keep = end - buf < CARRY ? (size_t)(end - buf) : CARRY;
        memcpy(c->tail, end - keep, keep);
        c->carry = keep;
        continue;
      }
      if (!memmem(buf, hdr - buf, " 101 ", 5)) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); c->subscribed = 1; fail_one(); return; }
      c->open = 1;
      buf = hdr + 4;
      if (strcmp(kind, "ruche") == 0) {
        char resume[512];
        snprintf(resume, sizeof resume, "{\"type\":\"resume\",\"rooms\":{\"%s\":%ld}}", room, seq0);
        send_text(c->fd, resume);
      } else {
        c->subscribed = 1;
        became_ready();
      }
    }
    if (!c->subscribed && memmem(buf, end - buf, SUBSCRIBED, sizeof SUBSCRIBED - 1)) {
      c->subscribed = 1;
      became_ready();
    }
    char *keep = end - (sizeof MARKER - 2);
    if (keep < buf) keep = buf;
    char *at = memmem(buf, end - buf, MARKER, sizeof MARKER - 1);
    while (at) {
      double s = stamp_at(at + sizeof MARKER - 1, end);
      if (s < 0) { keep = at; break; }
      long b = (long)((t - s) / 0.1 + 0.5);
      if (b < 0) b = 0;
      if (b >= BUCKETS) b = BUCKETS - 1;
      hist[b]++;
      received++;
      at = memmem(at + sizeof MARKER - 1, end - (at + sizeof MARKER - 1), MARKER, sizeof MARKER - 1);
    }
    size_t k = end - keep;
    if (k > CARRY) k = CARRY;
    memcpy(c->tail, end - k, k);
    c->carry = k;
    /* Level-triggered epoll tells again if more is waiting: no second read just to see EAGAIN. */
    if ((size_t)r < room_left) return;
  }
}

static void stats(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 + ru.ru_stime.tv_sec * 1000.0 + ru.ru_stime.tv_usec / 1000.0;
  printf("{\"type\":\"stats\",\"received\":%llu,\"bucketMs\":0.1,\"cpuMs\":%.1f,\"pairs\":[", (unsigned long long)received, cpu);
  int first = 1;
  for (long i = 0; i < BUCKETS; i++)
    if (hist[i]) { printf("%s[%ld,%u]", first ? "" : ",", i, hist[i]); first = 0; }
  printf("]}\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: %s HOST PORT PATH KIND ROOM SEQ\n", argv[0]); return 2; }
  host = argv[1]; port = atoi(argv[2]); path = argv[3]; kind = argv[4]; room = argv[5]; seq0 = atol(argv[6]);
  ep = epoll_create1(0);
  size_t cap = 1024;
  conns = calloc(cap, sizeof(Conn));
  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = 0;
    if (strcmp(line, "go") == 0) break;
    if (nconns == (int)cap) { cap *= 2; conns = realloc(conns, cap * sizeof(Conn)); memset(conns + nconns, 0, (cap - nconns) * sizeof(Conn)); }
    conns[nconns++].cookie = strcmp(line, "-") == 0 ? strdup("") : strdup(line);
  }
  fcntl(0, F_SETFL, O_NONBLOCK);
  struct epoll_event sin = { .events = EPOLLIN, .data.ptr = NULL };
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &sin);
  printf("{\"type\":\"up\"}\n");
  fflush(stdout);
  for (int i = 0; i < WAVE; i++) start_one();
  struct epoll_event evs[512];
  char cmd[4096];
  size_t cmdlen = 0;
  for (;;) {
    int n = epoll_wait(ep, evs, 512, -1);
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr == NULL) {
        ssize_t r = read(0, cmd + cmdlen, sizeof cmd - cmdlen - 1);
        if (r == 0) return 0;
        if (r < 0) continue;
        cmdlen += r;
        cmd[cmdlen] = 0;
        char *nl;
        while ((nl = strchr(cmd, '\n'))) {
          *nl = 0;
          if (strcmp(cmd, "collect") == 0) stats();
          else if (strcmp(cmd, "stop") == 0) return 0;
          size_t used = nl + 1 - cmd;
          memmove(cmd, nl + 1, cmdlen - used + 1);
          cmdlen -= used;
        }
      } else on_data((Conn *)evs[i].data.ptr);
    }
  }
}
