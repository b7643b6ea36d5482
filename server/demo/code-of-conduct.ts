import { clause, documentJson, paragraph, section, type DocJson } from "../../schema/content";

/** The opening text of the sample draft: a code of conduct as the delegations might first table it. */
export function codeOfConductOpeningText(title: string): DocJson {
  const list = (items: string[]): DocJson => ({
    type: "bullet_list",
    content: items.map((text) => ({ type: "list_item", content: [paragraph(text)] })),
  });
  return documentJson(
    title,
    [
      "The Subscribing States,",
      "Recalling their obligations under international human rights law and their shared commitment to the Universal Declaration of Human Rights;",
      "Recognising that goods and technologies, including surveillance technologies, may be misused to commit serious violations or abuses of human rights;",
      "Affirming that export controls are a tool to prevent such misuse while supporting legitimate trade, research and security cooperation;",
      "Have decided to apply the following Code of Conduct on a voluntary basis:",
    ],
    [
      section(
        "Purpose and scope",
        clause(
          "This Code sets out political commitments of the Subscribing States to take human rights into account when reviewing applications to export goods and technologies that could be misused for serious violations or abuses of human rights.",
        ),
        clause(
          "This Code applies to dual-use items and technologies controlled under national law and under the multilateral export control regimes, and to other items a Subscribing State decides to control for human rights reasons.",
        ),
        clause("Nothing in this Code affects the rights and obligations of the Subscribing States under international law."),
      ),
      section(
        "Principles",
        clause(
          "Subscribing States commit to consider, when assessing an export licence application, the risk that the items will be used in connection with:",
          list([
            "arbitrary or unlawful interference with privacy;",
            "restrictions of the freedoms of expression, assembly and association contrary to international law;",
            "arbitrary arrest or detention, torture or other cruel, inhuman or degrading treatment;",
            "the targeting of human rights defenders, journalists and members of minorities.",
          ]),
        ),
        clause(
          "Subscribing States commit to refuse a licence where there is a clear risk that the items would be used to commit or facilitate serious violations or abuses of human rights.",
        ),
      ),
      section(
        "Licensing practice",
        clause(
          "Subscribing States will consult, as appropriate, the human rights reporting of the United Nations, regional organisations and civil society when assessing the end use and end user of an export.",
        ),
        clause("Subscribing States will encourage exporters to carry out human rights due diligence in line with the UN Guiding Principles on Business and Human Rights."),
      ),
      section(
        "Consultation and information sharing",
        clause(
          "Subscribing States will share information on their national practice, emerging technologies of concern and, to the extent national law permits, licence denials made for human rights reasons.",
        ),
        clause("Subscribing States will consult academia, industry and civil society on the implementation of this Code."),
      ),
      section(
        "Transparency and review",
        clause("Subscribing States will report publicly on how they implement this Code, as national law permits."),
        clause("The Subscribing States will review this Code at regular intervals, and at least every three years."),
      ),
    ],
  );
}
