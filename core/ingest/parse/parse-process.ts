// The parse process: parses one file's bytes per message from the indexer's process and answers with the result.
// It says 'ready' once loaded (so the sandbox can tell a process that cannot start from a file that kills it), and
// reports its own peak RSS with each answer, for the benchmarks.
import { parseBytes } from './parse-bytes.js';
import type { ParseReply, ParseRequest } from './sandbox.js';

const send = process.send?.bind(process);
if (!send) throw new Error('parse-process must be started by the sandbox (it talks over IPC)');
process.on('message', (req: ParseRequest) => {
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  void parseBytes(req.kind, bytes, req.budget).then((result) => {
    send({ id: req.id, result, peakRssMb: process.resourceUsage().maxRSS / 1024 } satisfies ParseReply);
  });
});
// The indexer went away (closed, or killed): nothing left to parse for.
process.on('disconnect', () => process.exit(0));
send('ready');
