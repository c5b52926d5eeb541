// OLLAMA_HOST read the way Ollama's own tools read it (envconfig.Host in ollama/ollama), so `localrag` reaches the
// same server as `ollama run` in the same shell: "host[:port]" with an optional scheme. Without a scheme it is http
// on port 11434; with "http://" or "https://" and no port, 80 or 443. A bind-all address (0.0.0.0, ::), which is
// what people set so Ollama listens everywhere, means "this machine" to a client.

const OLLAMA_PORT = '11434';

/** "host:port" or "[v6]:port" split; null when there is no port part (a bare host or a bare IPv6 address). */
function splitHostPort(hostport: string): [string, string] | null {
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(hostport);
  if (v6) return [v6[1]!, v6[2]!];
  const colon = hostport.indexOf(':');
  if (colon < 0 || colon !== hostport.lastIndexOf(':')) return null;
  return [hostport.slice(0, colon), hostport.slice(colon + 1)];
}

/** The base URL an OLLAMA_HOST value names, or null when it is empty or not an http(s) address. */
export function ollamaHostUrl(raw: string | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  let scheme = 'http';
  let rest = value;
  let defaultPort = OLLAMA_PORT;
  const sep = value.indexOf('://');
  if (sep >= 0) {
    scheme = value.slice(0, sep).toLowerCase();
    rest = value.slice(sep + 3);
    defaultPort = scheme === 'https' ? '443' : '80';
  }
  if (scheme !== 'http' && scheme !== 'https') return null;
  const slash = rest.indexOf('/');
  const hostport = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '');
  let [host, port] = splitHostPort(hostport) ?? [hostport.replace(/^\[(.*)\]$/, '$1'), defaultPort];
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) port = defaultPort;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::' || host === '::0') host = '::1';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  try {
    new URL(url);
  } catch {
    return null;
  }
  return url;
}
