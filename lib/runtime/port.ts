/** Fails early, with a message a person can act on, when the app's port is taken. */
import net from "node:net";

export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new Error(`Port ${port} is already in use (is Vouch already running?). Stop the other process or set PORT to a free port.`));
      } else reject(error);
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
