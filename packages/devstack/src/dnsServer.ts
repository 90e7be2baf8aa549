import dns2 from 'dns2';

const { Packet } = dns2;

/**
 * A real DNS server on loopback UDP (the `dns2` package) that answers TXT questions from a table
 * the test fills; names it does not know answer NXDOMAIN. Point a resolver at `server`.
 */
export type TestDnsServer = {
  /** `127.0.0.1:<port>`, as `Resolver.setServers` and `SSO_DNS_SERVERS` take it. */
  readonly server: string;
  /** Sets the TXT records of `name` (replacing what it had). */
  setTxt(name: string, records: readonly string[]): void;
  close(): Promise<void>;
};

export async function startTestDnsServer(): Promise<TestDnsServer> {
  const txt = new Map<string, readonly string[]>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const records = question === undefined ? undefined : txt.get(question.name.toLowerCase());
      if (question === undefined || records === undefined) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
      } else if (question.type === Packet.TYPE.TXT) {
        for (const data of records) {
          response.answers.push(Packet.createResourceFromQuestion(question, { ttl: 1, data }));
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('the test DNS server did not listen on UDP');
  return {
    server: `127.0.0.1:${port}`,
    setTxt(name, records) {
      txt.set(name.toLowerCase(), records);
    },
    close: () => server.close(),
  };
}
