import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { contentTypeOf, readImageHeader } from './image-header.js';
import { RICH_MENU_IMAGE_MAX_BYTES, isOurRichMenu, richMenuRequest } from './richmenu.js';

/**
 * Publishes the rich menu: validate → create → upload image → set as default → delete our older menus.
 * Users must never be left without a working menu, so the older menus go only after the new one is the default,
 * and a new menu that could not be completed is deleted again instead of lingering half-made.
 */

export type RichMenuApi = Pick<
  messagingApi.MessagingApiClient,
  'validateRichMenuObject' | 'createRichMenu' | 'setDefaultRichMenu' | 'getRichMenuList' | 'deleteRichMenu'
>;
export type RichMenuBlobApi = Pick<messagingApi.MessagingApiBlobClient, 'setRichMenuImage'>;

/** pino's Logger fits; so does a small console adapter. */
export interface PublishLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export interface PublishOptions {
  client: RichMenuApi;
  blobClient: RichMenuBlobApi;
  /** PNG or JPEG bytes at exactly the menu's size; the content type is read from the bytes themselves. */
  image: Uint8Array;
  logger: PublishLogger;
  menu?: messagingApi.RichMenuRequest;
  /**
   * A language's menu (`en`, `vi`): not made the default (the bot links it to the parents who speak the language), and
   * only that language's older menus are deleted. The Japanese default menu without it.
   */
  language?: string;
}

export interface PublishResult {
  richMenuId: string;
  name: string;
  imageBytes: number;
  contentType: string;
  /** Our older menus that were deleted. */
  deleted: string[];
  /** Our older menus that could not be deleted (the new menu is live regardless); delete them by hand. */
  notDeleted: string[];
}

export type PublishStep = 'validate' | 'create' | 'upload' | 'setDefault';

/** A failure before the new menu became the default: nothing users see has changed. */
export class RichMenuPublishError extends Error {
  constructor(
    readonly step: PublishStep,
    override readonly cause: unknown,
    /** The half-made menu, when it could not be deleted again. */
    readonly leftOver?: string,
  ) {
    super(`rich menu ${step} failed: ${describeLineError(cause)}${leftOver ? ` (could not delete the half-made menu ${leftOver}; delete it by hand)` : ''}`);
  }
}

/** Status and LINE's own message, which names the offending field; never headers (they carry the token). */
export function describeLineError(e: unknown): string {
  if (e instanceof HTTPFetchError) return `HTTP ${e.status} ${e.body || e.statusText}`.trim();
  return e instanceof Error ? e.message : String(e);
}

/** Checks what LINE would otherwise reject only after the menu exists. */
export function checkImage(image: Uint8Array, menu: messagingApi.RichMenuRequest): { contentType: 'image/png' | 'image/jpeg' } {
  const header = readImageHeader(image);
  if (!header) throw new Error('rich menu image is neither PNG nor JPEG');
  const { width, height } = menu.size ?? {};
  if (header.width !== width || header.height !== height)
    throw new Error(`rich menu image is ${header.width}×${header.height}, the menu is ${width}×${height}`);
  if (image.byteLength > RICH_MENU_IMAGE_MAX_BYTES)
    throw new Error(`rich menu image is ${image.byteLength} bytes, LINE accepts at most ${RICH_MENU_IMAGE_MAX_BYTES}`);
  return { contentType: contentTypeOf(header.format) };
}

/** LINE's own check of the definition; nothing is created. */
export async function validateRichMenu(
  client: Pick<RichMenuApi, 'validateRichMenuObject'>,
  menu: messagingApi.RichMenuRequest = richMenuRequest(),
): Promise<void> {
  try {
    await client.validateRichMenuObject(menu);
  } catch (e) {
    throw new RichMenuPublishError('validate', e);
  }
}

export async function publishRichMenu({ client, blobClient, image, logger, menu = richMenuRequest(), language }: PublishOptions): Promise<PublishResult> {
  const own = language === undefined || language === 'ja' ? undefined : language;
  const { contentType } = checkImage(image, menu);
  const name = menu.name ?? '';

  await validateRichMenu(client, menu);
  logger.info({ name }, 'rich menu definition is valid');

  let richMenuId: string;
  try {
    ({ richMenuId } = await client.createRichMenu(menu));
  } catch (e) {
    throw new RichMenuPublishError('create', e);
  }
  logger.info({ richMenuId, name }, 'rich menu created');

  let step: PublishStep = 'upload';
  try {
    // Copy into a fresh ArrayBuffer-backed view: Blob wants exactly that, and a Buffer may sit in a shared pool.
    await blobClient.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: contentType }));
    logger.info({ richMenuId, imageBytes: image.byteLength, contentType }, 'rich menu image uploaded');
    if (!own) {
      step = 'setDefault';
      await client.setDefaultRichMenu(richMenuId);
    }
  } catch (e) {
    const leftOver = (await deleteQuietly(client, richMenuId, logger)) ? undefined : richMenuId;
    throw new RichMenuPublishError(step, e, leftOver);
  }
  if (own) logger.info({ richMenuId, language: own }, 'rich menu is ready for the parents who speak this language');
  else logger.info({ richMenuId }, 'rich menu is now the default for all users');

  // Users linked to an older menu of the language see the default until the bot links them again (at their next
  // language choice or follow); the bot looks menus up by name, so it links the new one from now on.
  const { deleted, notDeleted } = await deleteOlderMenus(client, richMenuId, logger, own);
  return { richMenuId, name, imageBytes: image.byteLength, contentType, deleted, notDeleted };
}

async function deleteOlderMenus(
  client: RichMenuApi,
  keep: string,
  logger: PublishLogger,
  language?: string,
): Promise<{ deleted: string[]; notDeleted: string[] }> {
  const deleted: string[] = [];
  const notDeleted: string[] = [];
  let older: string[];
  try {
    const { richmenus } = await client.getRichMenuList();
    older = richmenus.filter((m) => m.richMenuId !== keep && isOurRichMenu(m.name, language)).map((m) => m.richMenuId);
  } catch (e) {
    // The new menu is live; stale ones only cost quota and are removed by the next run.
    logger.warn({ error: describeLineError(e) }, 'could not list rich menus; older menus were not deleted');
    return { deleted, notDeleted };
  }
  for (const id of older) ((await deleteQuietly(client, id, logger)) ? deleted : notDeleted).push(id);
  if (deleted.length) logger.info({ deleted }, 'older rich menus deleted');
  return { deleted, notDeleted };
}

async function deleteQuietly(client: Pick<RichMenuApi, 'deleteRichMenu'>, richMenuId: string, logger: PublishLogger): Promise<boolean> {
  try {
    await client.deleteRichMenu(richMenuId);
    return true;
  } catch (e) {
    logger.warn({ richMenuId, error: describeLineError(e) }, 'could not delete rich menu');
    return false;
  }
}
