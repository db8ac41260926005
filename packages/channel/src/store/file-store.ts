import type { ChannelId } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STORE_CORRUPT, AESC_ERROR__CHANNEL__STORE_IO, AescError } from '@aesc/errors';
import { type ChannelRecord, recordFromJson, recordToJson } from './channel-record.js';
import type { ChannelStore } from './channel-store.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

function ioError(operation: string, cause: unknown): AescError {
  const code = (cause as NodeJS.ErrnoException)?.code ?? (cause instanceof Error ? cause.message : String(cause));
  return new AescError(AESC_ERROR__CHANNEL__STORE_IO, { operation, reason: String(code) }, { cause });
}

/**
 * A store in a directory (Node): one JSON file per channel, written crash-safely — to a temporary
 * file, fsynced, renamed over the old one, and the directory fsynced — so that after `save`
 * resolves the record survives a crash or power loss, and a crash during `save` leaves the
 * previous record intact.
 */
export async function fileStore(directory: string): Promise<ChannelStore> {
  // Loaded at call time through computed specifiers, so that browser bundles of @aesc/channel (which
  // use indexedDbStore) never try to include Node's file system.
  const fsModule = 'node:fs/promises';
  const pathModule = 'node:path';
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule)) as Fs;
  const path = (await import(/* @vite-ignore */ /* webpackIgnore: true */ pathModule)) as Path;
  await fs.mkdir(directory, { recursive: true }).catch((e) => {
    throw ioError('open', e);
  });
  const fileOf = (channelId: string) => {
    if (!/^ch_[1-9A-HJ-NP-Za-km-z]+$/.test(channelId)) throw ioError('open', new Error(`bad channel id ${channelId}`));
    return path.join(directory, `${channelId}.json`);
  };
  const syncDir = async () => {
    const dir = await fs.open(directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  };
  return Object.freeze({
    async save(record: ChannelRecord) {
      const file = fileOf(record.channelId);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        const handle = await fs.open(tmp, 'w');
        try {
          await handle.writeFile(`${JSON.stringify(recordToJson(record), null, 2)}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(tmp, file);
        await syncDir();
      } catch (e) {
        await fs.rm(tmp, { force: true }).catch(() => undefined);
        throw ioError('save', e);
      }
    },
    async load(channelId: ChannelId) {
      let text: string;
      try {
        text = await fs.readFile(fileOf(channelId), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw ioError('load', e);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new AescError(AESC_ERROR__CHANNEL__STORE_CORRUPT, { channelId, reason: 'not JSON' }, { cause: e });
      }
      return recordFromJson(json);
    },
    async list() {
      const names = await fs.readdir(directory).catch((e) => {
        throw ioError('list', e);
      });
      return names.filter((n) => /^ch_.+\.json$/.test(n)).map((n) => n.slice(0, -5) as ChannelId);
    },
    async remove(channelId: ChannelId) {
      await fs.rm(fileOf(channelId), { force: true }).catch((e) => {
        throw ioError('remove', e);
      });
      await syncDir();
    },
  });
}
