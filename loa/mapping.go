package loa

import (
	"errors"
	"fmt"
)

// Mapping is the table that relates STORK QAA levels to eIDAS tiers (N9,
// spec-digest §3.2). Public sources disagree on it, so it is configuration:
// each field names the STORK QAA level (1 to 4) equivalent to a notified
// eIDAS tier. A QAA level named by no field has no eIDAS equivalent; it sits
// between its neighbours (or below low).
//
// The default, [DefaultMapping], is QAA2<->low, QAA3<->substantial,
// QAA4<->high, with QAA1 below low. The German BundID convention would be
// Mapping{Low: 1, Substantial: 3, High: 4}.
//
// From the table this package derives one partial order over eIDAS and STORK
// levels (see [Mapping.AtLeast]). Non-notified eIDAS levels keep their place
// below the notified level of the same tier, so they never map up to that
// tier's QAA level. A Mapping is plain data; its methods treat an invalid
// Mapping (including the zero value) as relating nothing across families.
type Mapping struct {
	// Low is the QAA level equivalent to eIDAS low (default 2).
	Low int
	// Substantial is the QAA level equivalent to eIDAS substantial (default 3).
	Substantial int
	// High is the QAA level equivalent to eIDAS high (default 4).
	High int
}

// DefaultMapping returns the default table: QAA2<->low, QAA3<->substantial,
// QAA4<->high; QAA1 has no eIDAS equivalent (spec-digest §3.2).
func DefaultMapping() Mapping { return Mapping{Low: 2, Substantial: 3, High: 4} }

// IsZero reports whether m is the zero Mapping, which a [RegistryConfig]
// replaces with [DefaultMapping].
func (m Mapping) IsZero() bool { return m == Mapping{} }

// Validate checks that every entry is a QAA level 1 to 4 and that the table
// is strictly increasing (monotonic, no QAA level used twice). It returns
// every problem joined, each wrapping [ErrInvalidMapping].
func (m Mapping) Validate() error {
	var errs []error
	for _, f := range [...]struct {
		tier Tier
		qaa  int
	}{{Low, m.Low}, {Substantial, m.Substantial}, {High, m.High}} {
		if f.qaa < 1 || f.qaa > 4 {
			errs = append(errs, fmt.Errorf("%w: %s maps to QAA %d, want 1..4", ErrInvalidMapping, f.tier, f.qaa))
		}
	}
	if m.Low >= m.Substantial {
		errs = append(errs, fmt.Errorf("%w: low (QAA %d) must map below substantial (QAA %d)", ErrInvalidMapping, m.Low, m.Substantial))
	}
	if m.Substantial >= m.High {
		errs = append(errs, fmt.Errorf("%w: substantial (QAA %d) must map below high (QAA %d)", ErrInvalidMapping, m.Substantial, m.High))
	}
	return errors.Join(errs...)
}

func (m Mapping) valid() bool {
	return m.Low >= 1 && m.Low < m.Substantial && m.Substantial < m.High && m.High <= 4
}

// QAAFor returns the QAA level equivalent to eIDAS tier t, or 0 for TierNone
// or an invalid Mapping.
func (m Mapping) QAAFor(t Tier) int {
	if !m.valid() {
		return 0
	}
	switch t {
	case Low:
		return m.Low
	case Substantial:
		return m.Substantial
	case High:
		return m.High
	default:
		return 0
	}
}

// TierFor returns the highest eIDAS tier whose equivalent QAA level is at
// most qaa: the tier a QAA qaa authentication reaches. It returns TierNone
// when qaa is below the QAA level of low (QAA1 under the default).
func (m Mapping) TierFor(qaa int) Tier {
	for t := High; t >= Low; t-- {
		if q := m.QAAFor(t); q != 0 && q <= qaa {
			return t
		}
	}
	return TierNone
}

// AtLeast reports whether a is at least as strong as b. Within a family it
// is [Level.AtLeast]. Across families, with q the QAA level and e the eIDAS
// level (national levels standing for their equivalents):
//
//   - QAA q >= e when q >= QAAFor(tier of e). For a non-notified e this is
//     the same bound, since NN-t lies below notified t.
//   - e >= QAA q when q lies below the QAA level of low (any eIDAS level
//     then qualifies), or when e >= the lowest notified level whose QAA
//     level is >= q.
//
// Levels that are invalid, or related by neither rule, are not at least
// each other: the order is partial and fails closed.
func (m Mapping) AtLeast(a, b Level) bool {
	if !a.Valid() || !b.Valid() {
		return false
	}
	return m.atLeast(a.base(), b.base())
}

// atLeast is AtLeast for valid base (eIDAS or STORK) levels.
func (m Mapping) atLeast(a, b Level) bool {
	if c, ok := sameFamily(a, b); ok {
		return c >= 0
	}
	if !m.valid() {
		return false
	}
	if a.scheme == SchemeSTORK {
		return int(a.value) >= m.QAAFor(Tier(b.value))
	}
	q := int(b.value)
	if q < m.Low {
		return true
	}
	for t := Low; t <= High; t++ {
		if m.QAAFor(t) >= q {
			return a.key() >= Notified(t).key()
		}
	}
	return false
}

// Compare orders a against b using [Mapping.AtLeast] both ways: 0 when each
// is at least the other (equivalent), +1 when a is stronger, -1 when weaker,
// and false when they are incomparable or invalid.
func (m Mapping) Compare(a, b Level) (int, bool) {
	ge, le := m.AtLeast(a, b), m.AtLeast(b, a)
	switch {
	case ge && le:
		return 0, true
	case ge:
		return 1, true
	case le:
		return -1, true
	default:
		return 0, false
	}
}

// Max returns the stronger of a and b under m, preferring a when they are
// equivalent, or false when they are incomparable. The broker uses it to
// keep a session's level on step-up (N12).
func (m Mapping) Max(a, b Level) (Level, bool) {
	c, ok := m.Compare(a, b)
	if !ok {
		return Level{}, false
	}
	if c < 0 {
		return b, true
	}
	return a, true
}

// ToQAA converts l to the highest STORK QAA level it is at least as strong
// as (inbound: record the QAA level an eIDAS authentication reached). Under
// the default mapping low->QAA2, substantial->QAA3, high->QAA4, and a
// non-notified NN-t lands one step lower than t. STORK levels map to
// themselves. It returns false when l reaches no QAA level.
func (m Mapping) ToQAA(l Level) (Level, bool) {
	for q := 4; q >= 1; q-- {
		if m.AtLeast(l, STORK(q)) {
			return STORK(q), true
		}
	}
	return Level{}, false
}

// ToEIDAS converts l to the highest notified eIDAS level it is at least as
// strong as (under the default mapping QAA2->low, QAA3->substantial,
// QAA4->high). Notified levels map to themselves; a non-notified NN-t maps
// to the notified tier below t. It returns false when l reaches no notified
// level, as QAA1 and NN-low do under the default mapping.
func (m Mapping) ToEIDAS(l Level) (Level, bool) {
	for t := High; t >= Low; t-- {
		if m.AtLeast(l, Notified(t)) {
			return Notified(t), true
		}
	}
	return Level{}, false
}

// MinQAA returns the lowest STORK QAA level at least as strong as l
// (outbound: the QAA level to demand upstream for a requested level). Under
// the default mapping low->2, substantial->3, high->4. It returns false when
// no QAA level is strong enough.
func (m Mapping) MinQAA(l Level) (Level, bool) {
	for q := 1; q <= 4; q++ {
		if m.AtLeast(STORK(q), l) {
			return STORK(q), true
		}
	}
	return Level{}, false
}

// MinEIDAS returns the lowest notified eIDAS level at least as strong as l
// (outbound: the level to request from the eIDAS node for a STORK
// requirement). Under the default mapping QAA1 and QAA2 -> low. It returns
// false when no notified level is strong enough.
func (m Mapping) MinEIDAS(l Level) (Level, bool) {
	for t := Low; t <= High; t++ {
		if m.AtLeast(Notified(t), l) {
			return Notified(t), true
		}
	}
	return Level{}, false
}
