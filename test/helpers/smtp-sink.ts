// A real SMTP server process for tests (smtp-server): started as a child by
// test/helpers/smtp-process.ts, it prints `listening <port>` and then one
// JSON line per received message ({from, to, raw: base64}) on stdout.
// Not a mock: nodemailer in the LoanDesk process speaks SMTP to it over TCP.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      process.stdout.write(
        `${JSON.stringify({
          from: session.envelope.mailFrom
            ? session.envelope.mailFrom.address
            : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('base64'),
        })}\n`,
      );
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  const port =
    typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
