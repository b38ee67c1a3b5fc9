package loa

import "strconv"

// Scheme names the vocabulary a [Level] belongs to.
type Scheme uint8

const (
	// SchemeNone is the scheme of the zero (invalid) Level.
	SchemeNone Scheme = iota
	// SchemeEIDAS holds the notified eIDAS levels low, substantial and high
	// (http://eidas.europa.eu/LoA/..., N9, spec-digest §2.1).
	SchemeEIDAS
	// SchemeEIDASNotNotified holds the non-notified eIDAS levels
	// (http://eidas.europa.eu/NotNotified/LoA/..., spec-digest §2.1).
	SchemeEIDASNotNotified
	// SchemeSTORK holds the STORK QAA levels 1 to 4 (N8, spec-digest §3.1).
	SchemeSTORK
	// SchemeNational holds ClassRefs a deployment registers in a [Registry];
	// each is equivalent to an eIDAS or STORK level.
	SchemeNational
)

// String returns a short name of the scheme.
func (s Scheme) String() string {
	switch s {
	case SchemeEIDAS:
		return "eIDAS"
	case SchemeEIDASNotNotified:
		return "eIDAS non-notified"
	case SchemeSTORK:
		return "STORK"
	case SchemeNational:
		return "national"
	default:
		return "none"
	}
}

// Tier is an eIDAS assurance tier, shared by notified and non-notified levels.
type Tier uint8

const (
	// TierNone means "no eIDAS tier", for example for STORK QAA 1 under the
	// default mapping.
	TierNone Tier = iota
	// Low is the eIDAS tier low.
	Low
	// Substantial is the eIDAS tier substantial.
	Substantial
	// High is the eIDAS tier high.
	High
)

// String returns "low", "substantial", "high" or "none".
func (t Tier) String() string {
	switch t {
	case Low:
		return "low"
	case Substantial:
		return "substantial"
	case High:
		return "high"
	default:
		return "none"
	}
}

func (t Tier) valid() bool { return t >= Low && t <= High }

// Level is a level of assurance. It is a small comparable value: two Levels
// are == when they are the same level of the same scheme (a national level
// also compares its ClassRef). The zero Level is invalid and satisfies
// nothing.
//
// Build levels with [Notified], [NotNotified], [STORK], [ParseClassRef] or
// [Registry.ParseClassRef].
type Level struct {
	scheme Scheme
	value  uint8  // eIDAS tier, STORK QAA; for national: the equivalent's value
	eq     Scheme // national only: the equivalent's scheme
	uri    string // national only: the registered ClassRef
}

// Notified returns the notified eIDAS level of tier t, or the zero Level if
// t is not Low, Substantial or High.
func Notified(t Tier) Level {
	if !t.valid() {
		return Level{}
	}
	return Level{scheme: SchemeEIDAS, value: uint8(t)}
}

// NotNotified returns the non-notified eIDAS level of tier t, or the zero
// Level if t is not Low, Substantial or High.
func NotNotified(t Tier) Level {
	if !t.valid() {
		return Level{}
	}
	return Level{scheme: SchemeEIDASNotNotified, value: uint8(t)}
}

// STORK returns STORK QAA level qaa (1 to 4, N8), or the zero Level for any
// other number.
func STORK(qaa int) Level {
	if qaa < 1 || qaa > 4 {
		return Level{}
	}
	return Level{scheme: SchemeSTORK, value: uint8(qaa)}
}

// Scheme returns the level's scheme.
func (l Level) Scheme() Scheme { return l.scheme }

// Tier returns the eIDAS tier of an eIDAS level (notified or not), of a
// national level equivalent to one, and TierNone otherwise.
func (l Level) Tier() Tier {
	if b := l.base(); b.eidas() {
		return Tier(b.value)
	}
	return TierNone
}

// QAA returns the STORK QAA number (1 to 4) of a STORK level or of a national
// level equivalent to one, and 0 otherwise. Use [Mapping.ToQAA] to convert
// eIDAS levels.
func (l Level) QAA() int {
	if b := l.base(); b.scheme == SchemeSTORK {
		return int(b.value)
	}
	return 0
}

// Equivalent returns the eIDAS or STORK level a national level is registered
// as equivalent to, and l itself for every other level.
func (l Level) Equivalent() Level { return l.base() }

// Valid reports whether l is a usable level (not the zero Level).
func (l Level) Valid() bool {
	switch l.scheme {
	case SchemeEIDAS, SchemeEIDASNotNotified:
		return Tier(l.value).valid() && l.uri == ""
	case SchemeSTORK:
		return l.value >= 1 && l.value <= 4 && l.uri == ""
	case SchemeNational:
		return l.uri != "" && Level{scheme: l.eq, value: l.value}.Valid() && l.eq != SchemeNational
	default:
		return false
	}
}

// String describes the level for logs, e.g. "eIDAS substantial",
// "eIDAS non-notified low", "STORK QAA 3" or
// "urn:hr:nias:loa:2 (STORK QAA 2)". Use [Level.ClassRef] for the wire form.
func (l Level) String() string {
	if !l.Valid() {
		return "invalid level"
	}
	switch l.scheme {
	case SchemeEIDAS, SchemeEIDASNotNotified:
		return l.scheme.String() + " " + Tier(l.value).String()
	case SchemeSTORK:
		return "STORK QAA " + strconv.Itoa(int(l.value))
	default:
		return l.uri + " (" + l.base().String() + ")"
	}
}

// base returns the eIDAS or STORK level l stands for.
func (l Level) base() Level {
	if l.scheme == SchemeNational {
		return Level{scheme: l.eq, value: l.value}
	}
	return l
}

func (l Level) eidas() bool {
	return l.scheme == SchemeEIDAS || l.scheme == SchemeEIDASNotNotified
}

// key orders levels within their family. eIDAS interleaves non-notified
// below notified of the same tier: NN-low < low < NN-substantial <
// substantial < NN-high < high (spec-digest §2.1). STORK orders by QAA.
func (l Level) key() int {
	if l.scheme == SchemeEIDASNotNotified {
		return 2*int(l.value) - 1
	}
	if l.scheme == SchemeEIDAS {
		return 2 * int(l.value)
	}
	return int(l.value)
}

// sameFamily compares two valid base levels of the same family.
func sameFamily(a, b Level) (int, bool) {
	if a.eidas() != b.eidas() {
		return 0, false
	}
	ka, kb := a.key(), b.key()
	switch {
	case ka < kb:
		return -1, true
	case ka > kb:
		return 1, true
	default:
		return 0, true
	}
}

// Compare orders l against o without a mapping: both must be eIDAS levels
// (notified or not) or both STORK levels, national levels standing for their
// equivalents. It returns -1, 0 or +1 and true, or false when the levels are
// of different families or invalid. Use [Mapping.Compare] to compare across
// families.
func (l Level) Compare(o Level) (int, bool) {
	if !l.Valid() || !o.Valid() {
		return 0, false
	}
	return sameFamily(l.base(), o.base())
}

// AtLeast reports whether l is at least as strong as o within one family (see
// [Level.Compare]). It fails closed: levels of different families, or
// invalid ones, are never at least each other here; use [Mapping.AtLeast] for
// a STORK-eIDAS comparison.
func (l Level) AtLeast(o Level) bool {
	c, ok := l.Compare(o)
	return ok && c >= 0
}

// Max returns the stronger of a and b within one family (see
// [Level.Compare]), preferring a when they are equivalent. It returns false
// when they cannot be compared; use [Mapping.Max] across families.
func Max(a, b Level) (Level, bool) {
	c, ok := a.Compare(b)
	if !ok {
		return Level{}, false
	}
	if c < 0 {
		return b, true
	}
	return a, true
}
