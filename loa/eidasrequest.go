package loa

// Rule names one eIDAS RequestedAuthnContext rule (spec-digest §2.1, after
// eIDAS-Node's EidasRequestedAuthContextValidator and
// LevelOfAssuranceRequestValidator).
type Rule uint8

const (
	// RuleAtLeastOne: the request lists at least one ClassRef.
	RuleAtLeastOne Rule = iota + 1
	// RuleValidLevels: every listed level is valid.
	RuleValidLevels
	// RuleNoDuplicates: no level is listed twice (the legacy and v1.2
	// spellings of a non-notified level count as the same level).
	RuleNoDuplicates
	// RuleComparison: Comparison is minimum or exact; better and maximum are
	// not supported.
	RuleComparison
	// RuleSingleNotified: a request of notified levels only lists exactly one.
	RuleSingleNotified
	// RuleNotifiedMinimum: a request of one notified level uses minimum.
	RuleNotifiedMinimum
	// RuleNotNotifiedExact: a request with any non-notified level uses exact.
	RuleNotNotifiedExact
	// RuleClosedUpward: notified levels mixed with non-notified ones are
	// closed upward: high; high and substantial; or all three.
	RuleClosedUpward
)

// String describes the rule.
func (r Rule) String() string {
	switch r {
	case RuleAtLeastOne:
		return "at least one level of assurance is required"
	case RuleValidLevels:
		return "every level of assurance must be valid"
	case RuleNoDuplicates:
		return "a level of assurance is listed twice"
	case RuleComparison:
		return "only minimum and exact comparison are supported"
	case RuleSingleNotified:
		return "a request of notified levels only must list exactly one"
	case RuleNotifiedMinimum:
		return "a request of one notified level must use minimum comparison"
	case RuleNotNotifiedExact:
		return "a request with non-notified levels must use exact comparison"
	case RuleClosedUpward:
		return "notified levels mixed with non-notified ones must be closed upward"
	default:
		return "unknown rule"
	}
}

// ValidateEIDASRequest checks req against the eIDAS rules for
// RequestedAuthnContext (spec-digest §2.1), the narrower profile that eIDAS
// nodes enforce on top of SAML. A level is notified when its scheme is
// [SchemeEIDAS]; every other valid level (non-notified eIDAS, national, STORK)
// counts as non-notified, as eIDAS-Node treats any other URI. The first
// broken rule, in the order of the [Rule] constants, is returned as a
// [*RequestError] unwrapping to [ErrInvalidRequest].
func ValidateEIDASRequest(req Requested) error {
	if len(req.Levels) == 0 {
		return &RequestError{Rule: RuleAtLeastOne}
	}
	for _, l := range req.Levels {
		if !l.Valid() {
			return &RequestError{Rule: RuleValidLevels, Level: l}
		}
	}
	var notified [High + 1]bool
	nNotified, nOther := 0, 0
	for i, l := range req.Levels {
		for _, prev := range req.Levels[:i] {
			if prev == l {
				return &RequestError{Rule: RuleNoDuplicates, Level: l}
			}
		}
		if l.scheme == SchemeEIDAS {
			notified[l.value] = true
			nNotified++
		} else {
			nOther++
		}
	}
	if req.Comparison != ComparisonMinimum && req.Comparison != ComparisonExact {
		return &RequestError{Rule: RuleComparison}
	}
	if nOther == 0 {
		if nNotified != 1 {
			return &RequestError{Rule: RuleSingleNotified}
		}
		if req.Comparison != ComparisonMinimum {
			return &RequestError{Rule: RuleNotifiedMinimum}
		}
		return nil
	}
	if req.Comparison != ComparisonExact {
		return &RequestError{Rule: RuleNotNotifiedExact}
	}
	closed := nNotified == 0 ||
		(nNotified == 1 && notified[High]) ||
		(nNotified == 2 && notified[High] && notified[Substantial]) ||
		nNotified == 3
	if !closed {
		return &RequestError{Rule: RuleClosedUpward}
	}
	return nil
}
