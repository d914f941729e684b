export interface ArchiveEntry { name: string; path?: string; data?: string | Buffer; mode?: number }
export function writeTarGz(file: string, entries: ArchiveEntry[]): string;
export function writeZip(file: string, entries: ArchiveEntry[]): string;
export function sha256File(file: string): string;
