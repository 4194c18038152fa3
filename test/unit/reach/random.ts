/**
 * Random topologies for property tests (seeded, deterministic): 1–3
 * underlays (nat, public, none), an optional flannel overlay (any backend,
 * masquerade on or off), an optional weave/docker/ovs overlay, 1–3 hosts
 * with default and user bridges (icc, masquerade, userland-proxy varied) and
 * containers in every mode with publishes (wildcard, loopback, bound),
 * links and exposed ports.
 */
export function randomTopology(seedIn: number): string {
  let seed = seedIn;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const chance = (p: number) => rnd() < p;
  function gen(): string {
    let s = '';
    const nu = 1 + Math.floor(rnd() * 3);
    const unders: string[] = [];
    for (let i = 0; i < nu; i++) { unders.push(`u${i}`); s += `underlay u${i} 10.${100 + i}.0.0/24 { ${pick(['uplink nat', 'uplink public', ''])} }\n`; }
    const fl = chance(0.5);
    const flbe = pick(['vxlan', 'udp', 'host-gw']);
    if (fl) s += `overlay fl { driver flannel; subnet 10.2.0.0/16; subnet-length 24; backend ${flbe}; masquerade ${pick(['true', 'false'])} }\n`;
    const ov = chance(0.4) ? pick(['weave', 'docker', 'ovs']) : undefined;
    if (ov) s += `overlay ov { driver ${ov}; subnet 10.40.0.0/16${ov === 'ovs' ? '; vlan 10 subnet 10.40.10.0/24' : ''} }\n`;
    const nh = 1 + Math.floor(rnd() * 3);
    let cn = 0;
    const all: string[] = [];
    const hostsC: string[][] = [];
    for (let h = 0; h < nh; h++) {
      const hc: string[] = [];
      s += `host h${h} {\n`;
      const myU = unders.filter(() => chance(0.6));
      if (myU.length === 0) myU.push(pick(unders));
      for (const u of myU) s += `  address 10.${100 + unders.indexOf(u)}.0.${10 + h} on ${u}\n`;
      if (chance(0.5)) s += `  expose 22/tcp\n`;
      if (chance(0.3)) s += `  userland-proxy false\n`;
      const onFl = fl && chance(0.7);
      const d0 = onFl ? `10.2.${10 + h}.0/24` : pick(['172.17.0.0/16', `172.${40 + h}.0.0/16`]);
      s += `  bridge docker0 { subnet ${d0}; icc ${pick(['true', 'true', 'false'])}; masquerade ${pick(['true', 'true', 'false'])}${onFl ? '; overlay fl' : ''} }\n`;
      const ubs = ['alpha', 'zulu'].filter(() => chance(0.4));
      ubs.forEach((b, i) => (s += `  bridge ${b} { subnet 172.${20 + i}.0.0/16; icc ${pick(['true', 'false'])}; masquerade ${pick(['true', 'true', 'false'])} }\n`));
      const n = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) {
        const name = `c${cn++}`;
        const props: string[] = [];
        const mode = rnd();
        if (mode < 0.1) props.push('network host');
        else if (mode < 0.15) props.push('network none');
        else if (mode < 0.25 && hc.length) props.push(`network container:${pick(hc)}`);
        else {
          const nets = ['docker0', ...ubs, ...(ov ? ['ov'] : [])].filter(() => chance(0.5));
          for (const x of nets) props.push(x === 'docker0' ? (chance(0.5) ? 'network docker0' : '') : x === 'ov' && ov === 'ovs' && chance(0.5) ? 'network ov vlan 10' : `network ${x}`);
          if (chance(0.4)) props.push(`publish ${pick(['', '127.0.0.1:', `10.${100 + unders.indexOf(myU[0]!)}.0.${10 + h}:`])}${8000 + cn}:${pick([80, 81])}/${pick(['tcp', 'tcp', 'udp'])}`);
          if (chance(0.3) && hc.length) props.push(`link ${pick(hc)}`);
        }
        if (chance(0.6)) props.push(`expose ${pick(['80/tcp', '81/tcp', '53/udp', '80/tcp, 53/udp'])}`);
        s += `  container ${name} { ${props.filter(Boolean).join('; ')} }\n`;
        hc.push(name);
        all.push(name);
      }
      hostsC.push(hc);
      s += `}\n`;
    }
    return s;
  }
  return gen();
}
