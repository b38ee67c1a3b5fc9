package loa

import "strings"

// AuthnContextClassRef URIs of the eIDAS levels (spec-digest §2.1).
const (
	EIDASLow         = "http://eidas.europa.eu/LoA/low"
	EIDASSubstantial = "http://eidas.europa.eu/LoA/substantial"
	EIDASHigh        = "http://eidas.europa.eu/LoA/high"

	EIDASNotNotifiedLow         = "http://eidas.europa.eu/NotNotified/LoA/low"
	EIDASNotNotifiedSubstantial = "http://eidas.europa.eu/NotNotified/LoA/substantial"
	EIDASNotNotifiedHigh        = "http://eidas.europa.eu/NotNotified/LoA/high"

	// Legacy non-notified forms, emitted by some nodes before eIDAS message
	// format v1.2; accepted on input only.
	EIDASLegacyNotNotifiedLow         = "http://eidas.europa.eu/LoA/NotNotified/low"
	EIDASLegacyNotNotifiedSubstantial = "http://eidas.europa.eu/LoA/NotNotified/substantial"
	EIDASLegacyNotNotifiedHigh        = "http://eidas.europa.eu/LoA/NotNotified/high"
)

// Reserved prefixes. A ClassRef that starts with one of them (ASCII case
// ignored, as eIDAS-Node does) must be one of the values defined above, else
// it is refused with [ErrInvalidClassRef]; a [Registry] refuses to register
// national ClassRefs under them.
const (
	EIDASNotifiedPrefix    = "http://eidas.europa.eu/LoA/"
	EIDASNotNotifiedPrefix = "http://eidas.europa.eu/NotNotified/LoA/"
	STORKCitizenQAAPrefix  = "http://www.stork.gov.eu/1.0/citizenQAALevel/"
	STORKQAALevelPrefix    = "STORK-QAA-Level-"
)

// MaxClassRefLen is the longest AuthnContextClassRef accepted, in bytes.
const MaxClassRefLen = 1024

// STORKForm selects one of the AuthnContextClassRef spellings of a STORK QAA
// level seen in deployments (spec-digest §3.1). STORK 1.0 itself carried the
// level in an extension element (see [ParseSTORKQAA]), so these are emitted
// only when asked for through [Level.STORKClassRef].
type STORKForm uint8

const (
	// STORKCitizenQAALevel is "http://www.stork.gov.eu/1.0/citizenQAALevel/N"
	// (Austrian PVP2/MOA-ID clients).
	STORKCitizenQAALevel STORKForm = iota + 1
	// STORKQAALevel is "STORK-QAA-Level-N" (German BundID/BayernID).
	STORKQAALevel
)

// parseKind says how a built-in parse ended, so that the Registry can try
// national ClassRefs before an error is allocated.
type parseKind uint8

const (
	parsedOK parseKind = iota
	parsedUnknown
	parsedInvalid
	parsedTooLong
)

func (k parseKind) err() error {
	switch k {
	case parsedInvalid:
		return ErrInvalidClassRef
	case parsedTooLong:
		return ErrClassRefTooLong
	default:
		return ErrUnknownClassRef
	}
}

// isXMLSpace reports the characters xs:anyURI whitespace collapsing removes.
func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimXMLSpace(s string) string {
	for len(s) > 0 && isXMLSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isXMLSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// reserved reports whether s lies in a namespace this package defines.
func reserved(s string) bool {
	return hasPrefixFold(s, EIDASNotifiedPrefix) || hasPrefixFold(s, EIDASNotNotifiedPrefix) ||
		hasPrefixFold(s, STORKCitizenQAAPrefix) || hasPrefixFold(s, STORKQAALevelPrefix)
}

// parseBuiltin parses the eIDAS and STORK forms; s is already trimmed.
func parseBuiltin(s string) (Level, parseKind) {
	switch s {
	case EIDASLow:
		return Notified(Low), parsedOK
	case EIDASSubstantial:
		return Notified(Substantial), parsedOK
	case EIDASHigh:
		return Notified(High), parsedOK
	case EIDASNotNotifiedLow, EIDASLegacyNotNotifiedLow:
		return NotNotified(Low), parsedOK
	case EIDASNotNotifiedSubstantial, EIDASLegacyNotNotifiedSubstantial:
		return NotNotified(Substantial), parsedOK
	case EIDASNotNotifiedHigh, EIDASLegacyNotNotifiedHigh:
		return NotNotified(High), parsedOK
	}
	for _, p := range [...]string{STORKCitizenQAAPrefix, STORKQAALevelPrefix} {
		if len(s) == len(p)+1 && s[:len(p)] == p && s[len(p)] >= '1' && s[len(p)] <= '4' {
			return STORK(int(s[len(p)] - '0')), parsedOK
		}
	}
	if reserved(s) {
		return Level{}, parsedInvalid
	}
	return Level{}, parsedUnknown
}

// ParseClassRef parses an AuthnContextClassRef of the built-in schemes: the
// three notified eIDAS URIs, the three non-notified ones (and their legacy
// spelling), and the two STORK forms with a digit 1 to 4 (N8, N9,
// spec-digest §2.1, §3.1). Leading and trailing XML whitespace is ignored,
// as xs:anyURI allows; comparison is otherwise exact.
//
// A value under a reserved prefix that is not one of those fails with
// [ErrInvalidClassRef]; anything else with [ErrUnknownClassRef]. Both come as
// a [*ClassRefError]. Use [Registry.ParseClassRef] to accept national
// ClassRefs too.
func ParseClassRef(s string) (Level, error) {
	l, kind := parseClassRef(s)
	if kind != parsedOK {
		return Level{}, newClassRefError(s, kind.err())
	}
	return l, nil
}

func parseClassRef(s string) (Level, parseKind) {
	if len(s) > MaxClassRefLen {
		return Level{}, parsedTooLong
	}
	return parseBuiltin(trimXMLSpace(s))
}

// ClassRef returns the AuthnContextClassRef to emit for l: the eIDAS URI
// (the v1.2 spelling for non-notified levels) or a national level's
// registered ClassRef. STORK levels have no canonical ClassRef and fail with
// [ErrNotExpressible]: use [Level.STORKClassRef] to choose a spelling, or
// convert with [Mapping.ToEIDAS] / [Mapping.MinEIDAS] first.
func (l Level) ClassRef() (string, error) {
	if !l.Valid() {
		return "", ErrInvalidLevel
	}
	switch l.scheme {
	case SchemeEIDAS:
		return [...]string{EIDASLow, EIDASSubstantial, EIDASHigh}[l.value-1], nil
	case SchemeEIDASNotNotified:
		return [...]string{EIDASNotNotifiedLow, EIDASNotNotifiedSubstantial, EIDASNotNotifiedHigh}[l.value-1], nil
	case SchemeNational:
		return l.uri, nil
	default:
		return "", ErrNotExpressible
	}
}

// STORKClassRef writes a STORK level in the requested ClassRef spelling
// (spec-digest §3.1). Other levels fail with [ErrNotExpressible]; convert
// them with [Mapping.ToQAA] or [Mapping.MinQAA] first.
func (l Level) STORKClassRef(form STORKForm) (string, error) {
	if !l.Valid() {
		return "", ErrInvalidLevel
	}
	if l.scheme != SchemeSTORK {
		return "", ErrNotExpressible
	}
	digit := string(rune('0' + l.value))
	switch form {
	case STORKCitizenQAALevel:
		return STORKCitizenQAAPrefix + digit, nil
	case STORKQAALevel:
		return STORKQAALevelPrefix + digit, nil
	default:
		return "", ErrNotExpressible
	}
}
