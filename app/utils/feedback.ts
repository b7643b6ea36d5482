/** The honeypot of the feedback form: a field people never see or fill (hidden from sight and from screen readers). */
export const HONEYPOT_FIELD = "website";
