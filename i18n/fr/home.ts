import type { Translation } from "../catalogue";
import type { home as english } from "../en/home";

/** Interface text of the public home page. */
export const home: Translation<typeof english> = {
  "home.title": "Un code de conduite commun pour l’octroi des licences d’exportation",
  "home.intro":
    "L’Initiative sur le contrôle des exportations et les droits de l’homme réunit l’Australie, le Canada, le Danemark, les États-Unis, la France, la Norvège, les Pays-Bas et le Royaume-Uni. Ses partenaires rédigent un code de conduite écrit, d’application volontaire, sur la prise en compte de critères relatifs aux droits de l’homme dans leurs décisions d’octroi de licences d’exportation.",
  "home.whatTitle": "Objet du code de conduite",
  "home.what":
    "Le code définit la manière dont les États partenaires apprécient le risque que des biens et des technologies dont ils autorisent l’exportation — en particulier des outils de surveillance — servent à commettre des violations graves des droits de l’homme. Il est d’application volontaire et adopté par consensus des délégations partenaires.",
  "home.howTitle": "Modalités de rédaction",
  "home.how":
    "Les délégations rédigent le texte ensemble dans Accord, l’annotent, déposent des amendements et se prononcent par vote. Les versions retenues sont publiées sur ce site, où chacun peut les lire, les comparer et les télécharger, et sont soumises à la consultation des milieux universitaires, de l’industrie et de la société civile.",
  "home.publishedTitle": "Textes publiés",
  "home.publishedEmpty": "Aucun texte n’a encore été publié. Les versions publiées figureront ici.",
  "home.delegationsTitle": "Délégations partenaires",
  "home.signInPrompt": "Les membres des délégations et du secrétariat se connectent pour travailler sur les projets.",
};
