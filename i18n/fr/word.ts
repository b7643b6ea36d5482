import type { Translation } from "../catalogue";
import type { word as english } from "../en/word";

/** Interface text of reading Word documents: why an uploaded file is refused. */
export const word: Translation<typeof english> = {
  "word.refused.empty": "Le fichier est vide.",
  "word.refused.tooLarge": "Le fichier dépasse {megabytes} Mo. Envoyez un document Word d’au plus {megabytes} Mo.",
  "word.refused.pdf": "Ce fichier est un PDF. Envoyez le document Word (.docx) dont il est issu, ou enregistrez-le au format .docx dans Word.",
  "word.refused.rtf": "Ce fichier est au format RTF (.rtf). Ouvrez-le dans Word, enregistrez-le en tant que document Word (.docx), puis envoyez cette copie.",
  "word.refused.html": "Ce fichier est une page web, et non un document Word. Enregistrez-le en tant que document Word (.docx), puis envoyez cette copie.",
  "word.refused.text": "Ce fichier contient du texte brut, et non un document Word. Collez le texte dans un document Word, enregistrez-le au format .docx, puis envoyez-le.",
  "word.refused.legacyDoc": "Ce fichier est un ancien document Word 97–2003 (.doc). Ouvrez-le dans Word, enregistrez-le en tant que document Word (.docx), puis envoyez cette copie.",
  "word.refused.encrypted": "Ce document Word est protégé par un mot de passe et ne peut donc pas être lu. Supprimez le mot de passe dans Word (Fichier › Informations › Protéger le document › Chiffrer avec mot de passe), enregistrez, puis envoyez-le de nouveau.",
  "word.refused.unknownFormat": "Ce fichier n’est pas un document Word (.docx).",
  "word.refused.odt": "Ce fichier est un texte OpenDocument (.odt). Enregistrez-le au format Word (.docx) dans LibreOffice ou Word, puis envoyez cette copie.",
  "word.refused.otherOffice": "Ce fichier est un classeur ou une présentation, et non un document Word. Envoyez un document Word (.docx).",
  "word.refused.notWord": "Cette archive n’est pas un document Word (.docx).",
  "word.refused.macros": "Ce document Word contient des macros (.docm), qu’Accord n’accepte pas. Enregistrez-le dans Word en tant que document Word (.docx), sans macros, puis envoyez cette copie.",
  "word.refused.tooManyParts": "Ce fichier contient plus de {count, number} éléments, bien plus que n’importe quel document Word : il n’a pas été lu.",
  "word.refused.partTooLarge": "Une partie de ce fichier occuperait plus de {megabytes} Mo une fois décompressée : il n’a pas été lu.",
  "word.refused.unpackedTooLarge": "Ce fichier occuperait plus de {megabytes} Mo une fois décompressé : il n’a pas été lu.",
  "word.refused.compressionRatio": "Ce fichier est compressé plus de {ratio} fois plus fortement que n’importe quel document Word, signe d’un fichier conçu pour épuiser le serveur : il n’a pas été lu.",
  "word.refused.sizeMismatch": "Ce fichier se décompresse en davantage de données qu’il n’en déclare, signe d’un fichier conçu pour épuiser le serveur : il n’a pas été lu.",
  "word.refused.unsafeXml": "Ce fichier contient des déclarations XML que Word n’écrit jamais et qui pourraient servir à attaquer le serveur : il n’a pas été lu.",
  "word.refused.tooComplex": "Ce document contient plus de {count, number} éléments dans une même partie, ou les imbrique plus profondément que n’importe quel document Word : il n’a pas été lu.",
  "word.refused.corrupt": "Ce document Word est endommagé et ne peut pas être lu. Ouvrez-le dans Word, enregistrez-le de nouveau au format .docx, puis envoyez cette copie.",
};
