import { t } from "../../i18n/translate";
import { BodyRefused, readBoundedBytes } from "../../server/http/body";
import { FormRejection } from "./forms.server";

/** A multipart form with one uploaded file: its other fields, and the file if one was chosen. */
export interface Upload {
  values: Record<string, string>;
  file: { name: string; bytes: Uint8Array } | null;
}

// Room for the form's other fields and the multipart boundaries around the file.
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads a multipart form carrying the file `field`, at most `maxFileBytes` of it: a body over the
 * limit is refused (413) as it streams, before it is all received, and nothing is kept.
 */
export async function readUpload(request: Request, input: { field: string; maxFileBytes: number }): Promise<Upload> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) throw new FormRejection({ [input.field]: t("upload.notMultipart") }, {}, 415);
  const tooLarge = () => new FormRejection({ [input.field]: t("word.refused.tooLarge", { megabytes: Math.round(input.maxFileBytes / 1024 / 1024) }) }, {}, 413, { Connection: "close" });
  let bytes: Uint8Array;
  try {
    bytes = await readBoundedBytes(request, input.maxFileBytes + FORM_OVERHEAD_BYTES);
  } catch (error) {
    if (!(error instanceof BodyRefused)) throw error;
    if (error.reason === "too-large") throw tooLarge();
    throw new FormRejection({ [input.field]: t("upload.incomplete") }, {}, 400);
  }
  let form: FormData;
  try {
    form = await new Request("http://upload.local", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(bytes) }).formData();
  } catch {
    throw new FormRejection({ [input.field]: t("upload.malformed") }, {}, 400);
  }
  const values: Record<string, string> = {};
  let file: Upload["file"] = null;
  for (const [name, value] of form) {
    if (typeof value === "string") values[name] = value;
    else if (name === input.field && value.size > 0) {
      if (value.size > input.maxFileBytes) throw tooLarge();
      file = { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  return { values, file };
}
