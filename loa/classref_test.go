package loa

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// N8, N9, spec-digest §2.1, §3.1: every built-in URI parses and emits back.
func TestParseClassRefRoundTrip(t *testing.T) {
	tests := []struct {
		in   string
		want Level
		emit string // canonical form emitted; "" means the input itself
	}{
		{EIDASLow, Notified(Low), ""},
		{EIDASSubstantial, Notified(Substantial), ""},
		{EIDASHigh, Notified(High), ""},
		{EIDASNotNotifiedLow, NotNotified(Low), ""},
		{EIDASNotNotifiedSubstantial, NotNotified(Substantial), ""},
		{EIDASNotNotifiedHigh, NotNotified(High), ""},
		{EIDASLegacyNotNotifiedLow, NotNotified(Low), EIDASNotNotifiedLow},
		{EIDASLegacyNotNotifiedSubstantial, NotNotified(Substantial), EIDASNotNotifiedSubstantial},
		{EIDASLegacyNotNotifiedHigh, NotNotified(High), EIDASNotNotifiedHigh},
		{" \n\thttp://eidas.europa.eu/LoA/high\r\n", Notified(High), EIDASHigh},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseClassRef(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			out, err := got.ClassRef()
			require.NoError(t, err)
			want := tt.emit
			if want == "" {
				want = tt.in
			}
			require.Equal(t, want, out)
			again, err := ParseClassRef(out)
			require.NoError(t, err)
			require.Equal(t, got, again)
		})
	}
}

// spec-digest §3.1: STORK ClassRef forms are accepted and emitted only on request.
func TestParseSTORKClassRef(t *testing.T) {
	for q := 1; q <= 4; q++ {
		for _, form := range []STORKForm{STORKCitizenQAALevel, STORKQAALevel} {
			l := STORK(q)
			s, err := l.STORKClassRef(form)
			require.NoError(t, err)
			got, err := ParseClassRef(s)
			require.NoError(t, err)
			require.Equal(t, l, got)
			_, err = got.ClassRef()
			require.ErrorIs(t, err, ErrNotExpressible, "STORK has no canonical ClassRef")
		}
	}
	s, err := STORK(3).STORKClassRef(STORKQAALevel)
	require.NoError(t, err)
	require.Equal(t, "STORK-QAA-Level-3", s)
	s, err = STORK(4).STORKClassRef(STORKCitizenQAALevel)
	require.NoError(t, err)
	require.Equal(t, "http://www.stork.gov.eu/1.0/citizenQAALevel/4", s)

	_, err = Notified(Low).STORKClassRef(STORKQAALevel)
	require.ErrorIs(t, err, ErrNotExpressible)
	_, err = STORK(2).STORKClassRef(STORKForm(9))
	require.ErrorIs(t, err, ErrNotExpressible)
	_, err = Level{}.STORKClassRef(STORKQAALevel)
	require.ErrorIs(t, err, ErrInvalidLevel)
	_, err = Level{}.ClassRef()
	require.ErrorIs(t, err, ErrInvalidLevel)
}

// spec-digest §2.1: anything under the eIDAS LoA prefix must be a defined value.
func TestParseClassRefErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrUnknownClassRef},
		{"urn:oasis:names:tc:SAML:2.0:ac:classes:Password", ErrUnknownClassRef},
		{"http://non.eidas.eu/NotNotified/LoA/1", ErrUnknownClassRef},
		{"http://eidas.europa.eu/LoA/medium", ErrInvalidClassRef},
		{"http://eidas.europa.eu/LoA/", ErrInvalidClassRef},
		{"http://eidas.europa.eu/LoA/low/", ErrInvalidClassRef},
		{"http://eidas.europa.eu/LoA/Low", ErrInvalidClassRef},
		{"HTTP://EIDAS.EUROPA.EU/LOA/HIGH", ErrInvalidClassRef},
		{"http://eidas.europa.eu/LoA/NotNotified/medium", ErrInvalidClassRef},
		{"http://eidas.europa.eu/NotNotified/LoA/x", ErrInvalidClassRef},
		{"http://eidas.europa.eu/LoA/high high", ErrInvalidClassRef},
		{"STORK-QAA-Level-0", ErrInvalidClassRef},
		{"STORK-QAA-Level-5", ErrInvalidClassRef},
		{"STORK-QAA-Level-33", ErrInvalidClassRef},
		{"http://www.stork.gov.eu/1.0/citizenQAALevel/", ErrInvalidClassRef},
		{"http://www.stork.gov.eu/1.0/citizenQAALevel/٣", ErrInvalidClassRef},
		{strings.Repeat("a", MaxClassRefLen+1), ErrClassRefTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseClassRef(tt.in)
			require.ErrorIs(t, err, tt.want)
			var ce *ClassRefError
			require.True(t, errors.As(err, &ce))
			require.LessOrEqual(t, len(ce.ClassRef), maxErrorClassRef)
			require.True(t, strings.HasPrefix(err.Error(), "loa: "))
		})
	}
}
