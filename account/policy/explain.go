package policy

import (
	"fmt"
	"strings"
)

// Departure is one place where a profile departs from NIST SP 800-63B
// rev 4, section 3.1.1.2.
type Departure struct {
	Aspect Aspect `json:"aspect"`
	// Profile describes what the profile does.
	Profile string `json:"profile"`
	// NIST describes what rev 4 requires.
	NIST string `json:"nist"`
	// Reason is the profile's recorded rationale, or a note that none is
	// recorded.
	Reason string `json:"reason"`
}

const noRationale = "no rationale recorded in the profile"

// Explain lists where p departs from NIST SP 800-63B rev 4 and why. Being
// stricter where NIST sets a floor (longer minimums, extra blocklist
// checks) is not a departure; a rev 4 "SHALL NOT" or a weaker floor is.
func Explain(p Profile) []Departure {
	nist := NIST80063B4()
	var out []Departure
	add := func(a Aspect, prof, n string) {
		r := p.Rationale[a]
		if r == "" {
			r = noRationale
		}
		out = append(out, Departure{Aspect: a, Profile: prof, NIST: n, Reason: r})
	}
	var short []string
	for _, c := range Classes() {
		if p.MinLengthFor(c, false) < nist.MinLengthFor(c, false) {
			short = append(short, fmt.Sprintf("%s %d", c, p.MinLengthFor(c, false)))
		}
		if p.MinLengthFor(c, true) < nist.MinLengthFor(c, true) {
			short = append(short, fmt.Sprintf("%s with a second factor %d", c, p.MinLengthFor(c, true)))
		}
	}
	if len(short) > 0 {
		add(AspectMinLength, "minimum length: "+strings.Join(short, ", "),
			"at least 15 characters single-factor, 8 with a second factor (SHALL)")
	}
	if p.MaxLength < 64 {
		add(AspectMaxLength, fmt.Sprintf("at most %d characters", p.MaxLength), "at least 64 characters allowed (SHOULD)")
	}
	var comp []string
	for _, x := range []struct {
		on   bool
		name string
	}{{p.RequireUpper, "upper-case"}, {p.RequireLower, "lower-case"}, {p.RequireDigit, "digit"}, {p.RequireSpecial, "special"}} {
		if x.on {
			comp = append(comp, x.name)
		}
	}
	if len(comp) > 0 {
		add(AspectComposition, "requires "+strings.Join(comp, ", "), "no composition rules (SHALL NOT)")
	}
	if p.MaxAge > 0 {
		add(AspectRotation, fmt.Sprintf("forced change every %d days", int(p.MaxAge.Hours()/24)),
			"no periodic change; change only on evidence of compromise (SHALL NOT)")
	}
	var missing []string
	for _, c := range []Check{CheckBlocklist, CheckContext, CheckSequence, CheckRepeat} {
		if !p.Has(c) {
			missing = append(missing, string(c))
		}
	}
	if len(missing) > 0 {
		add(AspectBlocklist, "does not check "+strings.Join(missing, ", "),
			"blocklist of breached, dictionary, repetitive or sequential and context-specific words (SHALL)")
	}
	return out
}
