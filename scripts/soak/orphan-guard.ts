// Preloaded into each API child (`node --import`). The soak talks to its
// children over an IPC channel it never uses for messages: if the soak dies
// without stopping them (SIGKILL, a crash), the channel closes and the child
// stops itself gracefully, so no API process outlives the soak.
if (process.channel) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // Listening for 'disconnect' holds the event loop open; the channel must not keep the child alive.
  process.channel.unref();
}
