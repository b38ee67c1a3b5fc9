// Package loa models levels of assurance (LoA) for eidkit: the STORK QAA
// levels 1 to 4 (N8), the eIDAS levels low, substantial and high, notified and
// non-notified (N9), and ClassRefs a deployment registers for its own national
// scheme. It parses and emits them as SAML AuthnContextClassRef values, as the
// STORK QualityAuthenticationAssuranceLevel extension and as the NIAS
// MinAuthenticationSecurityLevel request condition, and it decides whether a
// granted level satisfies a RequestedAuthnContext (N11, N12).
//
// It imports no other eidkit package; saml and the broker build on it.
//
// # Levels and order
//
// A [Level] is a small comparable value. Within eIDAS the order is
// NN-low < low < NN-substantial < substantial < NN-high < high (spec-digest
// §2.1); within STORK it is QAA 1 < 2 < 3 < 4. Across the two, a [Mapping]
// table decides, because public sources disagree (spec-digest §3.2): the
// default is QAA2<->low, QAA3<->substantial, QAA4<->high, and QAA1 sits below
// low with no eIDAS equivalent. [Mapping.ToQAA] and [Mapping.ToEIDAS] convert
// a granted level down to the strongest level of the other scheme it reaches
// (inbound); [Mapping.MinQAA] and [Mapping.MinEIDAS] convert a requested level
// up to the weakest level of the other scheme that satisfies it (outbound:
// low->QAA2, substantial->QAA3, high->QAA4). The order is partial: with a
// custom table some pairs are incomparable, and incomparable levels never
// satisfy each other. National levels are registered in a [Registry] with an
// eIDAS or STORK equivalent and compare as that equivalent.
//
// # ClassRefs
//
// [ParseClassRef] accepts the six eIDAS URIs, the legacy non-notified
// spelling http://eidas.europa.eu/LoA/NotNotified/... (input only; emitted in
// the v1.2 form), and the STORK forms http://www.stork.gov.eu/1.0/citizenQAALevel/N
// and STORK-QAA-Level-N (spec-digest §3.1; emitted only through
// [Level.STORKClassRef]). A value under http://eidas.europa.eu/LoA/ that is
// not one of the defined ones is an error, never an unknown national level.
// [Registry.ParseClassRef] also accepts registered national ClassRefs; any
// other value is an [ErrUnknownClassRef].
//
// # Comparison and N11
//
// SAML core §3.3.2.2.1 defines four comparisons over an ordered list of
// ClassRefs; an absent attribute means exact. [Registry.Satisfies] is the one
// place that answers "does this granted level satisfy that request":
//
//   - minimum: granted is at least one listed level. A higher level is
//     admitted, which is what N11 requires of every e-service.
//   - better: granted is stronger than one listed level.
//   - exact: SAML asks for an exact match, which would refuse a user who
//     signed in (or stepped up, N12) at a higher level than the e-service
//     named. N11 says the e-service must admit such a user, and with single
//     sign-on the broker routinely holds a session above what a service asked
//     for. So by default exact is evaluated as minimum. This only ever admits
//     a stronger authentication than requested, so it loosens no security.
//     RegistryConfig.StrictSAMLComparison restores the literal SAML meaning
//     (equivalent to one listed level, through the mapping).
//   - maximum: an upper bound. The broker should use it when choosing a
//     credential, but under N11 a session already above it must still be
//     admitted, so by default a granted level satisfies maximum when it is
//     comparable with a listed level (it never satisfies when incomparable).
//     StrictSAMLComparison enforces the ceiling.
//
// eIDAS narrows this (spec-digest §2.1): only minimum and exact, one notified
// level with minimum, exact whenever a non-notified level appears, notified
// levels mixed in closed upward, no duplicates, at least one level.
// [ValidateEIDASRequest] checks those rules and reports the failed [Rule] in a
// [RequestError]. The eIDAS response rule "granted >= requested" (AV-24) is
// exactly the default Satisfies.
//
// # Extensions
//
// [ParseSTORKQAA] and [NewSTORKQAA] handle the STORK
// <stork:QualityAuthenticationAssuranceLevel> (namespace
// urn:eu:stork:names:tc:STORK:1.0:assertion, value 1..4). [ParseNIASCondition]
// and [NewNIASCondition] handle the NIAS request condition <saml:Condition
// xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="N"/>
// (spec-digest §4.3); element names and the xsi:type QName are resolved by
// namespace, never by prefix. No NIAS specification of N was found, so by
// default N means STORK QAA N (an assumption; RegistryConfig.NIAS replaces
// it). Both work on *etree.Element so that saml can embed them.
//
// # Limits
//
// ClassRefs are at most [MaxClassRefLen] bytes, a request lists at most
// [MaxRequestedLevels] levels, a registry holds at most [MaxNationalLevels]
// national levels, NIAS values are 1 to [MaxNIASValue], and extension text is
// at most 64 bytes.
package loa
