import type { Translation } from "../catalogue";
import type { clauseStatus as english } from "../en/clause-status";

/** Interface text of clause status: the summary, the margin of the editor and the secretariat's panel. */
export const clauseStatus: Translation<typeof english> = {
  "clauseStatus.summaryLabel": "État d’avancement des clauses",
  "clauseStatus.count.agreed": "{count, plural, one {# approuvée} other {# approuvées}}",
  "clauseStatus.count.agreed-ad-referendum": "{count, plural, one {# approuvée ad referendum} other {# approuvées ad referendum}}",
  "clauseStatus.count.pending": "{count} en suspens",
  "clauseStatus.count.reserved": "{count} sous réserve",
  "clauseStatus.status.agreed": "Approuvée",
  "clauseStatus.status.agreed-ad-referendum": "Approuvée ad referendum",
  "clauseStatus.status.pending": "En suspens",
  "clauseStatus.status.reserved": "Sous réserve",
  "clauseStatus.short.agreed": "Approuvée",
  "clauseStatus.short.agreed-ad-referendum": "Ad ref.",
  "clauseStatus.short.pending": "En suspens",
  "clauseStatus.short.reserved": "Réserve",
  "clauseStatus.reservedBy": "Réserve émise par : {delegations}",
  "clauseStatus.panelTitle": "Statut des clauses",
  "clauseStatus.panelIntro": "Indiquez où en est chaque clause. En cas de réserve, précisez les délégations qui l’ont émise.",
  "clauseStatus.clause": "Clause {number}",
  "clauseStatus.statusLabel": "Statut de la clause {number}",
  "clauseStatus.reservingLabel": "Délégations ayant émis une réserve",
  "clauseStatus.save": "Enregistrer le statut de la clause {number}",
  "clauseStatus.saved": "La clause {number} a désormais le statut « {status} ».",
  "clauseStatus.empty": "Ce projet ne comporte encore aucune clause.",
  "clauseStatus.unknownClause": "Cette clause n’existe pas dans ce projet : elle a peut-être été supprimée. Rechargez la page pour afficher les clauses actuelles.",
  "clauseStatus.openBrackets": "{count, plural, one {Cette clause contient encore un crochet ouvert} other {Cette clause contient encore # crochets ouverts}} : elle ne peut pas être marquée comme approuvée tant qu’{count, plural, one {il n’est pas levé} other {ils ne sont pas levés}}.",
  "clauseStatus.reserveSomeone": "Choisissez les délégations qui émettent une réserve sur cette clause.",
  "clauseStatus.unknownDelegation": "Ne choisissez que des délégations participant à l’initiative.",
  "clauseStatus.agreedWarning.agreed": "La clause {number} est approuvée ; toute modification la rouvre — consultez d’abord le secrétariat.",
  "clauseStatus.agreedWarning.agreed-ad-referendum":
    "La clause {number} est approuvée ad referendum ; toute modification la rouvre — consultez d’abord le secrétariat.",
  "clauseStatus.dismiss": "Fermer",
};
