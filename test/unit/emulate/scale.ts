/**
 * A topology of `n` containers for the emulator's scale test: 25 containers
 * a host on one `uplink nat` LAN, flannel vxlan joining the hosts' docker0
 * leases, a user bridge per host (icc false on every other host), multi-homed
 * containers, publishes and expects.
 */
export function scaleTopology(n: number): string {
  const hosts = Math.max(1, Math.ceil(n / 25));
  const per = Math.ceil(n / hosts);
  let s = 'underlay lan 10.0.0.0/16 { uplink nat }\noverlay fl { driver flannel; subnet 10.2.0.0/16; backend vxlan }\n';
  let c = 0;
  for (let h = 0; h < hosts; h++) {
    s += `host h${h} {\n  address 10.0.${h >> 8}.${10 + (h & 0xff)} on lan\n  expose 22/tcp\n  bridge docker0 { subnet 10.2.${h}.0/24; overlay fl }\n  bridge app { subnet 172.20.0.0/24; icc ${h % 2 ? 'false' : 'true'} }\n`;
    for (let i = 0; i < per && c < n; i++, c++) {
      const net = i % 10 === 9 ? 'network docker0; network app' : i % 3 === 2 ? 'network app' : 'network docker0';
      const pub = i % 5 === 0 ? `; publish ${8000 + i}:80` : '';
      s += `  container c${c} { ${net}; expose ${i % 4 === 3 ? '5432/tcp' : '80/tcp'}${pub} }\n`;
    }
    s += '}\n';
  }
  for (let i = 0; i + 1 < n; i += 7) s += `expect c${i} -> c${i + 1}\n`;
  return s;
}
