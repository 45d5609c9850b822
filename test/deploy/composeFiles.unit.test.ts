import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * What the compose files promise an operator, checked on the files themselves: each node holds its
 * own private key only, the trackers wait for an elected leader and take the user apart from the
 * connection string, and the image is the one the vendor documents for 24.10.
 */
const ROOT = join(__dirname, '..', '..');
const IMAGE_24_10 = 'docker.eventstore.com/eventstore/eventstore:24.10';
const NODES = ['node1', 'node2', 'node3'];

interface Service {
  readonly image?: string;
  readonly volumes?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: readonly string[] };
}

function servicesOf(file: string): Readonly<Record<string, Service>> {
  const parsed = load(readFileSync(join(ROOT, file), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('services' in parsed)) {
    throw new Error(`${file} has no services`);
  }
  return parsed.services as Record<string, Service>;
}

function service(services: Readonly<Record<string, Service>>, name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

/** `volume:/path[:ro]` → the volume's name. */
const volumeNames = (svc: Service): string[] =>
  (svc.volumes ?? []).map((volume) => volume.split(':')[0] ?? '');

const healthcheckText = (svc: Service): string => (svc.healthcheck?.test ?? []).join(' ');

describe('docker-compose.cluster.yml', () => {
  const services = servicesOf('docker-compose.cluster.yml');

  it('gives each node its own certificate and key, and no other node’s', () => {
    for (const node of NODES) {
      const mounts = service(services, node).volumes ?? [];
      const keyVolumes = volumeNames(service(services, node)).filter((name) =>
        name.endsWith('-cert'),
      );
      expect(keyVolumes).toEqual([`${node}-cert`]);
      expect(mounts).toContain(`${node}-cert:/certs/${node}:ro`);
      expect(service(services, node).environment).toMatchObject({
        EVENTSTORE_CERTIFICATE_FILE: `/certs/${node}/node.crt`,
        EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE: `/certs/${node}/node.key`,
      });
    }
    const setupMounts = service(services, 'setup').volumes ?? [];
    for (const node of NODES) expect(setupMounts).toContain(`${node}-cert:/certs/${node}`);
    expect(service(services, 'setup').environment?.['ESDB_NODES']?.split(' ')).toHaveLength(
      NODES.length,
    );
  });

  it('mounts the CA’s private key in the one-shot setup only', () => {
    const holders = Object.entries(services)
      .filter(([, svc]) => volumeNames(svc).includes('es-ca'))
      .map(([name]) => name);
    expect(holders).toEqual(['setup']);
  });

  it('starts the trackers once every node sees an elected leader', () => {
    for (const node of NODES) {
      expect(healthcheckText(service(services, node))).toMatch(/\/gossip.*Leader/);
    }
    for (const tracker of ['tracker1', 'tracker2']) {
      const dependsOn = service(services, tracker).depends_on ?? {};
      for (const node of NODES) expect(dependsOn[node]?.condition).toBe('service_healthy');
    }
  });

  it('keeps credentials out of the connection string, so any password works', () => {
    for (const tracker of ['tracker1', 'tracker2']) {
      const environment = service(services, tracker).environment ?? {};
      expect(environment['EVENTSTORE_CONNECTION_STRING']).toMatch(/^esdb:\/\/node1:2113,/);
      expect(environment['EVENTSTORE_USERNAME']).toBe('admin');
      expect(environment['EVENTSTORE_PASSWORD']).toBe('${EVENTSTORE_ADMIN_PASSWORD:-changeit}');
    }
  });

  it('runs the image the vendor documents for 24.10', () => {
    for (const node of NODES) {
      expect(service(services, node).image).toBe(`\${EVENTSTORE_IMAGE:-${IMAGE_24_10}}`);
    }
  });
});

describe('docker-compose.yml', () => {
  const services = servicesOf('docker-compose.yml');

  it('starts the tracker once its node is leader, on the image the vendor documents for 24.10', () => {
    const node = service(services, 'eventstore');
    expect(node.image).toBe(`\${EVENTSTORE_IMAGE:-${IMAGE_24_10}}`);
    expect(healthcheckText(node)).toMatch(/\/gossip.*Leader/);
    expect(service(services, 'tracker').depends_on?.['eventstore']?.condition).toBe(
      'service_healthy',
    );
  });
});
