package saml

import (
	"fmt"
	"strings"
	"time"
)

// TimeFormat is the xs:dateTime layout this package emits: UTC with
// millisecond precision, as SAML core §1.3.3 asks.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime renders t as an xs:dateTime in UTC with millisecond precision.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeFormat)
}

// ParseTime parses any valid xs:dateTime: optional fractional seconds of any
// length, and a "Z", a ±hh:mm offset or no zone at all (read as UTC, which
// SAML requires). The result is in UTC. A bad value gives [ErrBadTime].
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if len(v) < len("2006-01-02T15:04:05") || strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+") || strings.ContainsRune(v, ',') {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadTime, s)
	}
	layout := "2006-01-02T15:04:05Z07:00"
	if !hasZone(v) {
		layout = "2006-01-02T15:04:05"
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadTime, s)
	}
	return t.UTC(), nil
}

// hasZone reports whether an xs:dateTime ends in a time zone designator.
func hasZone(v string) bool {
	if strings.HasSuffix(v, "Z") {
		return true
	}
	n := len(v)
	return n > 6 && (v[n-6] == '+' || v[n-6] == '-') && v[n-3] == ':'
}
