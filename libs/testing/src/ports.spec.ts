import { createServer, type AddressInfo } from 'node:net';
import { isPortFree, pickFreePorts } from './ports';

describe('ports', () => {
  it('picks distinct free ports that can be bound afterwards', async () => {
    const ports = await pickFreePorts(9);
    expect(new Set(ports).size).toBe(9);
    for (const port of ports) {
      expect(port).toBeGreaterThan(0);
      expect(await isPortFree(port)).toBe(true);
    }
  });

  it('never picks an excluded port', async () => {
    const [first] = await pickFreePorts(1);
    const next = await pickFreePorts(3, { exclude: [first] });
    expect(next).not.toContain(first);
  });

  it('sees a port in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await isPortFree(port)).toBe(true);
  });
});
