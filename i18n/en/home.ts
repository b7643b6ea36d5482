/** Interface text of the public home page. */
export const home = {
  "home.title": "A shared code of conduct for export licensing",
  "home.intro":
    "The Export Controls and Human Rights Initiative brings together Australia, Canada, Denmark, France, the Netherlands, Norway, the United Kingdom and the United States. Its partners are drafting a voluntary written code of conduct on applying human-rights criteria when they decide on export licences.",
  "home.whatTitle": "What the code of conduct is",
  "home.what":
    "The code sets out how partner states weigh the risk that goods and technology they license for export — surveillance tools in particular — will be used to commit serious violations of human rights. It is voluntary and agreed by consensus of the partner delegations.",
  "home.howTitle": "How it is drafted",
  "home.how":
    "Delegations write the text together in Accord, annotate it, table amendments and decide by vote. Chosen versions are published here for everyone to read, compare and download, and academia, industry and civil society are consulted on them.",
  "home.publishedTitle": "Published texts",
  "home.publishedEmpty": "No text has been published yet. Published versions will appear here.",
  "home.delegationsTitle": "Partner delegations",
  "home.signInPrompt": "Members of a delegation and the secretariat sign in to work on the drafts.",
} as const;
