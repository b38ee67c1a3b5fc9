package policy

import (
	"slices"
	"strconv"
	"strings"
)

// detector runs the pattern and dictionary checks on the folded password.
type detector struct {
	min   int
	lists *wordLists
}

// maxPerCode bounds how many matches of one kind are reported, so a long
// password cannot produce an unbounded list.
const maxPerCode = 5

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }

// sequences finds ascending and descending runs: 1234, abcd, 9876, zyxw.
func (d detector) sequences(s string) []Violation {
	r := []rune(s)
	var vs []Violation
	for i := 0; i+1 < len(r) && len(vs) < maxPerCode; {
		step := r[i+1] - r[i]
		same := (isDigit(r[i]) && isDigit(r[i+1])) || (isLetter(r[i]) && isLetter(r[i+1]))
		if !same || (step != 1 && step != -1) {
			i++
			continue
		}
		j := i + 1
		for j+1 < len(r) && r[j+1]-r[j] == step && sameClass(r[j], r[j+1]) {
			j++
		}
		if j-i+1 >= d.min {
			vs = append(vs, NewViolation(CodeSequence, map[string]string{"match": clip(string(r[i : j+1]))}))
		}
		i = j
	}
	return vs
}

func sameClass(a, b rune) bool {
	return (isDigit(a) && isDigit(b)) || (isLetter(a) && isLetter(b))
}

// keyboard finds walks along keyboard rows and columns (QWERTZ, QWERTY).
func (d detector) keyboard(s string) []Violation {
	var vs []Violation
	for i := 0; i+d.min <= len(s) && len(vs) < maxPerCode; {
		layout, ok := d.lists.keyboard[s[i:i+d.min]]
		if !ok || allDigits(s[i:i+d.min]) {
			i++
			continue
		}
		j := i + d.min
		for j < len(s) {
			l, ok := d.lists.keyboard[s[i:j+1]]
			if !ok {
				break
			}
			layout = l
			j++
		}
		vs = append(vs, NewViolation(CodeKeyboardWalk, map[string]string{"match": clip(s[i:j]), "layout": layout}))
		i = j
	}
	return vs
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// repeats finds runs of one character (aaaaa, 99999) and blocks repeated
// three or more times (ababab, 123123123).
func (d detector) repeats(s string) []Violation {
	r := []rune(s)
	var vs []Violation
	covered := make([]bool, len(r))
	for i := 0; i < len(r) && len(vs) < maxPerCode; {
		j := i + 1
		for j < len(r) && r[j] == r[i] {
			j++
		}
		if j-i >= d.min {
			vs = append(vs, NewViolation(CodeRepeated, map[string]string{"match": clip(string(r[i:j]))}))
			for k := i; k < j; k++ {
				covered[k] = true
			}
		}
		i = j
	}
	for l := 2; l <= 4 && len(vs) < maxPerCode; l++ {
		for i := 0; i+3*l <= len(r) && len(vs) < maxPerCode; i++ {
			if covered[i] {
				continue
			}
			n := 1
			for i+(n+1)*l <= len(r) && slices.Equal(r[i+n*l:i+(n+1)*l], r[i:i+l]) {
				n++
			}
			if n >= 3 && !uniform(r[i:i+l]) {
				vs = append(vs, NewViolation(CodeRepeated, map[string]string{"match": clip(string(r[i : i+n*l]))}))
				for k := i; k < i+n*l; k++ {
					covered[k] = true
				}
			}
		}
	}
	return vs
}

func uniform(r []rune) bool {
	for _, x := range r {
		if x != r[0] {
			return false
		}
	}
	return true
}

// names finds alphabetic tokens that are common first names.
func (d detector) names(s string) []Violation {
	var vs []Violation
	for _, tok := range letterTokens(s) {
		if len(tok) < 4 {
			continue
		}
		if _, ok := d.lists.names[tok]; ok {
			vs = append(vs, NewViolation(CodePersonalName, map[string]string{"match": clip(tok)}))
			if len(vs) == maxPerCode {
				break
			}
		}
	}
	return vs
}

func letterTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isLetter(r) })
}

// blocklist looks the password up in the common-password list: as typed,
// with digits and symbols stripped from both ends, and with common
// character substitutions undone (p@ssw0rd).
func (d detector) blocklist(s string) []Violation {
	trimmed := strings.TrimFunc(s, func(r rune) bool { return !isLetter(r) && !isDigit(r) })
	core := strings.TrimFunc(s, func(r rune) bool { return !isLetter(r) })
	for _, cand := range []string{s, trimmed, core, unleet(core)} {
		if len(cand) < 4 {
			continue
		}
		if rank, ok := d.lists.common[cand]; ok {
			return []Violation{NewViolation(CodeCommon, map[string]string{"match": clip(cand), "rank": strconv.Itoa(rank)})}
		}
	}
	return nil
}

func unleet(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '@', '4':
			return 'a'
		case '3':
			return 'e'
		case '1', '!':
			return 'i'
		case '0':
			return 'o'
		case '$', '5':
			return 's'
		case '7':
			return 't'
		}
		return r
	}, s)
}
