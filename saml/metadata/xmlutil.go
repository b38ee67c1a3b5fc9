package metadata

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/xmlutil"
)

// is reports whether el is the element {ns}local.
func is(el *etree.Element, ns, local string) bool {
	return el.Tag == local && el.NamespaceURI() == ns
}

// attr returns the value of the unqualified attribute key. A duplicated
// attribute is malformed XML that encoding/xml lets through; refuse it
// rather than pick one (parser-differential class).
func attr(el *etree.Element, key string) (string, bool, error) {
	val, found := "", false
	for _, a := range el.Attr {
		if a.Space != "" || a.Key != key {
			continue
		}
		if found {
			return "", false, malformed("%s: duplicate attribute %s", el.Tag, key)
		}
		val, found = a.Value, true
	}
	return val, found, nil
}

// requiredAttr is attr for an attribute that must be present and non-empty.
func requiredAttr(el *etree.Element, key string) (string, error) {
	v, ok, err := attr(el, key)
	if err != nil {
		return "", err
	}
	if !ok || strings.TrimSpace(v) == "" {
		return "", malformed("%s: missing attribute %s", el.Tag, key)
	}
	return v, nil
}

// xmlLang returns the xml:lang attribute.
func xmlLang(el *etree.Element) string {
	for _, a := range el.Attr {
		if a.Space == "xml" && a.Key == "lang" {
			return a.Value
		}
	}
	return ""
}

// parseBool parses an xs:boolean.
func parseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, malformed("bad xs:boolean %q", s)
}

// boolAttr reads an optional xs:boolean attribute; absent is false.
func boolAttr(el *etree.Element, key string) (bool, error) {
	v, ok, err := attr(el, key)
	if err != nil || !ok {
		return false, err
	}
	b, err := parseBool(v)
	if err != nil {
		return false, malformed("%s/@%s: bad xs:boolean %q", el.Tag, key, v)
	}
	return b, nil
}

// optionalBoolAttr reads an xs:boolean attribute keeping "absent" apart.
func optionalBoolAttr(el *etree.Element, key string) (OptionalBool, error) {
	v, ok, err := attr(el, key)
	if err != nil || !ok {
		return Unset, err
	}
	b, err := parseBool(v)
	if err != nil {
		return Unset, malformed("%s/@%s: bad xs:boolean %q", el.Tag, key, v)
	}
	if b {
		return True, nil
	}
	return False, nil
}

// parseDateTime parses an xs:dateTime. SAML requires UTC; a value without a
// time zone is read as UTC, a value with an offset is converted to UTC.
func parseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, malformed("bad xs:dateTime %q", s)
}

// formatDateTime writes t as an xs:dateTime in UTC.
func formatDateTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// Lengths used when converting xs:duration years and months: 365 and 30 days.
const (
	durationYear  = 365 * 24 * time.Hour
	durationMonth = 30 * 24 * time.Hour
)

// parseDuration parses a non-negative xs:duration such as "PT1H" or
// "P1DT12H30M0.5S". Years count as 365 days and months as 30 days: a cache
// duration does not need calendar arithmetic.
func parseDuration(s string) (time.Duration, error) {
	bad := malformed("bad xs:duration %q", s)
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "P")
	if !ok || rest == "" || strings.HasSuffix(rest, "T") {
		return 0, bad
	}
	var total float64
	inTime, units := false, "YMD"
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return 0, bad
			}
			inTime, units, rest = true, "HMS", rest[1:]
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, bad
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil || (rest[i] != 'S' && strings.Contains(rest[:i], ".")) {
			return 0, bad
		}
		j := strings.IndexByte(units, rest[i])
		if j < 0 {
			return 0, bad
		}
		total += n * float64(durationUnit(inTime, rest[i]))
		units, rest = units[j+1:], rest[i+1:]
	}
	if total > math.MaxInt64/2 {
		return 0, bad
	}
	return time.Duration(total), nil
}

func durationUnit(inTime bool, c byte) time.Duration {
	switch {
	case !inTime && c == 'Y':
		return durationYear
	case !inTime && c == 'M':
		return durationMonth
	case !inTime && c == 'D':
		return 24 * time.Hour
	case c == 'H':
		return time.Hour
	case c == 'M':
		return time.Minute
	default:
		return time.Second
	}
}

// formatDuration writes d as an xs:duration with days, hours, minutes and
// seconds, e.g. "P1DT2H" or "PT0.5S".
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("P")
	if days := d / (24 * time.Hour); days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10) + "D")
		d -= days * 24 * time.Hour
	}
	if d == 0 {
		return b.String()
	}
	b.WriteString("T")
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		d -= m * time.Minute
	}
	if d > 0 {
		b.WriteString(strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "S")
	}
	return b.String()
}

// detach copies el out of its document and declares on the copy every
// namespace prefix the subtree uses but does not declare itself, so the copy
// stays meaningful on its own.
func detach(el *etree.Element) *etree.Element {
	cp := el.Copy()
	declared := map[string]bool{"xml": true, "xmlns": true}
	for _, a := range cp.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		} else if a.Space == "" && a.Key == "xmlns" {
			declared[""] = true
		}
	}
	addDecl := func(prefix string) {
		if declared[prefix] {
			return
		}
		declared[prefix] = true
		if prefix == "" {
			if uri := xmlutil.LookupNamespace(el, ""); uri != "" {
				cp.CreateAttr("xmlns", uri)
			}
			return
		}
		if uri := xmlutil.LookupNamespace(el, prefix); uri != "" {
			cp.CreateAttr("xmlns:"+prefix, uri)
		}
	}
	walk(cp, func(e *etree.Element) {
		addDecl(e.Space)
		for _, a := range e.Attr {
			if a.Space != "" && a.Space != "xmlns" {
				addDecl(a.Space)
			}
		}
	})
	return cp
}

// walk calls f on el and every descendant element, depth first.
func walk(el *etree.Element, f func(*etree.Element)) {
	f(el)
	for _, c := range el.ChildElements() {
		walk(c, f)
	}
}
