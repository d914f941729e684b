export interface Target { id: string; os: 'linux' | 'darwin' | 'windows'; arch: 'amd64' | 'arm64'; node: string; nodeBin: string; exe: '' | '.exe'; archive: 'tar.gz' | 'zip' }
export const NODE_VERSION: string;
export const TARGETS: Target[];
export function hostTarget(): Target | undefined;
export const BIN: string;
export const COMPLETE_BIN: string;
export function archiveName(version: string, target: Target): string;
