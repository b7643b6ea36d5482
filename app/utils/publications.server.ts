import { z } from "zod";
import { bracketsIn } from "../../schema/brackets";
import type { DocJson } from "../../schema/content";
import { normalizeDocument } from "../../schema/normalize";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import type { Draft } from "../../server/domain/drafts";
import {
  ATTRIBUTIONS,
  BRACKET_VIEWS,
  MAX_PUBLICATION_SUMMARY_LENGTH,
  MAX_PUBLIC_TITLE_LENGTH,
  MAX_STATUS_LABEL_LENGTH,
  publicationsByVersion,
  type BracketView,
} from "../../server/domain/publications";
import { fields, formMessage } from "./forms.server";

/** What "Publish this version" asks for. */
export const PublishForm = z.object({
  publicTitle: fields.text(MAX_PUBLIC_TITLE_LENGTH),
  summary: z.string().trim().max(MAX_PUBLICATION_SUMMARY_LENGTH, formMessage("form.tooLong", { max: MAX_PUBLICATION_SUMMARY_LENGTH })).default(""),
  statusLabel: fields.text(MAX_STATUS_LABEL_LENGTH),
  attribution: z.enum(ATTRIBUTIONS, { errorMap: () => ({ message: formMessage("form.invalidChoice") }) }),
  // Asked only of a version with open brackets; without the question, the text is published as it is.
  brackets: z.enum(BRACKET_VIEWS, { errorMap: () => ({ message: formMessage("form.invalidChoice") }) }).default("bracketed"),
});

/** What a version page shows about publishing it: where it is published, or the form, or nothing. */
export interface PublicationPanelData {
  number: number;
  published: { publicTitle: string; statusLabel: string; brackets: BracketView; publishedAt: Date; url: string } | null;
  /**
   * The form's starting values, for those who may publish a version not yet published, and how many
   * brackets its text has open (the form asks whether to publish them only when there are some).
   */
  form: { publicTitle: string; maxTitle: number; maxSummary: number; maxStatus: number; openBrackets: number } | null;
}

/** The publication panel of version `number` of a draft, as `user` may see it. */
export async function publicationPanel(user: SessionUser, draft: Draft, version: { id: string; number: number; content: DocJson }): Promise<PublicationPanelData> {
  const publication = (await publicationsByVersion(draft)).get(version.id);
  const published = publication
    ? {
        publicTitle: publication.publicTitle,
        statusLabel: publication.statusLabel,
        brackets: publication.brackets,
        publishedAt: publication.publishedAt,
        url: `/p/${encodeURIComponent(draft.slug)}/v/${version.number}`,
      }
    : null;
  const mayPublish = !published && can(user, "publication.create", { type: "draft", id: draft.id });
  return {
    number: version.number,
    published,
    form: mayPublish
      ? {
          publicTitle: draft.title,
          maxTitle: MAX_PUBLIC_TITLE_LENGTH,
          maxSummary: MAX_PUBLICATION_SUMMARY_LENGTH,
          maxStatus: MAX_STATUS_LABEL_LENGTH,
          openBrackets: bracketsIn(normalizeDocument(version.content)).length,
        }
      : null,
  };
}
