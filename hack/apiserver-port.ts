/** The port kubeadm clusters serve on, preferred when free. */
export const defaultApiserverPort = 6443;

export interface PortProbe {
  isFree(port: number): Promise<boolean>;
  pickFree(): Promise<number>;
}

/**
 * Picks the apiserver's port: APISERVER_PORT when set (it must be free, an
 * explicit choice is never silently replaced), else 6443 when free, else any free port.
 */
export async function chooseApiserverPort(envValue: string | undefined, probe: PortProbe): Promise<number> {
  if (envValue !== undefined && envValue.trim() !== '') {
    const port = Number(envValue);
    if (!Number.isInteger(port) || port <= 0 || port >= 65536) {
      throw new Error(`APISERVER_PORT=${envValue} is not a TCP port`);
    }
    if (!(await probe.isFree(port))) throw new Error(`APISERVER_PORT=${port} is in use`);
    return port;
  }
  if (await probe.isFree(defaultApiserverPort)) return defaultApiserverPort;
  return probe.pickFree();
}
