package policy

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minContextWord is the shortest context word looked for; shorter words
// (initials, "cz") would match too many passwords by chance.
const minContextWord = 3

type contextWord struct{ word, source string }

func contextSources(c Context) []contextWord {
	var ws []contextWord
	add := func(w, src string) {
		w = Fold(strings.TrimSpace(w))
		if len([]rune(w)) >= minContextWord {
			ws = append(ws, contextWord{w, src})
		}
	}
	add(c.Username, "username")
	add(strings.TrimRight(c.Username, "0123456789"), "username")
	for _, n := range strings.Fields(c.FirstName) {
		add(n, "first name")
	}
	for _, n := range strings.Fields(c.Surname) {
		add(n, "surname")
	}
	if local, domain, ok := strings.Cut(c.Email, "@"); ok {
		add(local, "e-mail")
		for _, part := range strings.FieldsFunc(local, func(r rune) bool { return strings.ContainsRune("._+-", r) }) {
			add(part, "e-mail")
		}
		labels := strings.Split(domain, ".")
		for i, l := range labels {
			if i < len(labels)-1 || len(labels) == 1 {
				add(l, "e-mail domain")
			}
		}
	} else {
		add(c.Email, "e-mail")
	}
	add(c.SystemName, "system name")
	add(c.ApplicationName, "application name")
	for _, w := range c.Words {
		add(w, "context word")
	}
	return ws
}

// contextWords finds the user's own words (A5: login name, e-mail, system
// or application name, the person's names) in the folded password.
func contextWords(folded string, c Context) []Violation {
	var vs []Violation
	var matched []string
	for _, w := range contextSources(c) {
		if !strings.Contains(folded, w.word) || insideEarlier(matched, w.word) {
			continue
		}
		matched = append(matched, w.word)
		vs = append(vs, NewViolation(CodeContextWord, map[string]string{"match": clip(w.word), "source": w.source}))
	}
	return vs
}

var (
	// d.m.yyyy, dd.mm.yy, d. m. yyyy, 24.12. (Czech), d/m/yyyy, d-m-yyyy
	reDMY = regexp.MustCompile(`(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})?`)
	// yyyy-mm-dd (ISO 8601), yyyy.mm.dd, yyyy/mm/dd
	reYMD = regexp.MustCompile(`(\d{4})[./-](\d{1,2})[./-](\d{1,2})`)
	// digit runs: ddmmyyyy, yyyymmdd, ddmmyy, yymmdd
	reDigits = regexp.MustCompile(`\d{6,8}`)
)

func validDate(y string, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if len(y) == 4 {
		n, _ := strconv.Atoi(y)
		return n >= 1900 && n <= 2099
	}
	return len(y) == 0 || len(y) == 2
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// dates finds dates in Czech and ISO formats, and the birth date's year or
// day and month.
func dates(pw string, birth time.Time) []Violation {
	var found []string
	for _, m := range reYMD.FindAllStringSubmatch(pw, maxPerCode) {
		if validDate(m[1], atoi(m[2]), atoi(m[3])) {
			found = append(found, m[0])
		}
	}
	if len(found) == 0 {
		for _, m := range reDMY.FindAllStringSubmatch(pw, maxPerCode) {
			if validDate(m[3], atoi(m[2]), atoi(m[1])) {
				found = append(found, m[0])
			}
		}
	}
	for _, m := range reDigits.FindAllString(pw, maxPerCode) {
		if len(m) == 7 {
			continue
		}
		if digitDate(m) {
			found = append(found, m)
		}
	}
	if !birth.IsZero() {
		for _, f := range []string{birth.Format("2006"), birth.Format("0201"), birth.Format("2.1.")} {
			if strings.Contains(pw, f) {
				found = append(found, f)
			}
		}
	}
	var vs []Violation
	seen := map[string]bool{}
	for i, f := range found {
		if !seen[f] && !insideEarlier(found[:i], f) && len(vs) < maxPerCode {
			seen[f] = true
			vs = append(vs, NewViolation(CodeDate, map[string]string{"match": clip(f)}))
		}
	}
	return vs
}

func insideEarlier(earlier []string, f string) bool {
	for _, e := range earlier {
		if strings.Contains(e, f) {
			return true
		}
	}
	return false
}

func digitDate(m string) bool {
	if len(m) == 8 {
		return validDate(m[4:], atoi(m[2:4]), atoi(m[:2])) || validDate(m[:4], atoi(m[4:6]), atoi(m[6:]))
	}
	return validDate(m[4:], atoi(m[2:4]), atoi(m[:2])) || validDate(m[:2], atoi(m[2:4]), atoi(m[4:]))
}

// monthWords are Czech and English month names. Czech months decline
// ("leden", "ledna", "lednu", "lednem"), so the Czech entries are the
// nominative and, where it differs, the stem every other case starts with
// (folded: "říjnem" -> "rijnem" contains "rijn").
func monthWords() []string {
	return []string{
		"leden", "ledn", "unor", "brezen", "brezn", "duben", "dubn", "kveten", "kvetn",
		"cerven", "cervn", "srpen", "srpn", "zari", "rijen", "rijn", "listopad", "prosinec", "prosin",
		"january", "february", "march", "april", "june", "july", "august",
		"september", "october", "november", "december",
	}
}

// monthNames finds Czech and English month names. "may" is matched only as
// a whole word because it is part of many others.
func monthNames(folded string) []Violation {
	var vs []Violation
	for _, m := range monthWords() {
		if strings.Contains(folded, m) {
			vs = append(vs, NewViolation(CodeMonthName, map[string]string{"match": clip(wordAround(folded, m))}))
			break
		}
	}
	if len(vs) == 0 {
		for _, t := range letterTokens(folded) {
			if t == "may" {
				vs = append(vs, NewViolation(CodeMonthName, map[string]string{"match": t}))
				break
			}
		}
	}
	return vs
}

// wordAround returns the run of letters in s that contains the first
// occurrence of sub, so a stem match reports the word as typed ("ledn" in
// "x#lednem1" -> "lednem").
func wordAround(s, sub string) string {
	i := strings.Index(s, sub)
	from, to := i, i+len(sub)
	for from > 0 && isLetter(rune(s[from-1])) {
		from--
	}
	for to < len(s) && isLetter(rune(s[to])) {
		to++
	}
	return s[from:to]
}
