package policy_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account/policy"
)

// TestDetectorsNamedInIssue gives every detector input that issue 4 and
// requirement A5 name its own case; each password is otherwise clean, so
// the only expected code is the detector's.
func TestDetectorsNamedInIssue(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		want   policy.Code
		match  string
		layout string
	}{
		{"A5 sequence 1234", "Tq#vLp!mX1234", policy.CodeSequence, "1234", ""},
		{"A5 sequence abcd", "Tq#7vLp!abcdX", policy.CodeSequence, "abcd", ""},
		{"A5 sequence 9876", "Tq#vLp!mX9876", policy.CodeSequence, "9876", ""},
		{"A5 sequence zyxw", "Tq#7vLp!ZYXWm", policy.CodeSequence, "zyxw", ""},
		{"A5 QWERTZ row qwertz", "Qwertz#7Lp!mX", policy.CodeKeyboardWalk, "qwertz", "QWERTZ"},
		{"A5 QWERTZ row yxcvb", "Yxcvb#7Lp!mTq", policy.CodeKeyboardWalk, "yxcvb", "QWERTZ"},
		{"A5 QWERTY row qwerty", "Qwerty#7Lp!mX", policy.CodeKeyboardWalk, "qwerty", "QWERTY"},
		{"A5 home row asdfgh (both layouts)", "Asdfgh#7Lp!mX", policy.CodeKeyboardWalk, "asdfgh", "QWERTY/QWERTZ"},
		{"A5 QWERTY row zxcvb", "Zxcvb#7Lp!mTq", policy.CodeKeyboardWalk, "zxcvb", "QWERTY"},
		{"A5 reverse walk trewq", "Trewq#7Lp!mX", policy.CodeKeyboardWalk, "trewq", "QWERTY/QWERTZ"},
		{"A5 repeat aaaaa", "Tq7#vLp!aaaaa", policy.CodeRepeated, "aaaaa", ""},
		{"A5 repeat 99999", "Tq#vLp!mX99999", policy.CodeRepeated, "99999", ""},
		{"A5 e-mail local part", "Tq7#Jana.Novakova!", policy.CodeContextWord, "jana.novakova", ""},
		{"A5 Czech date d.m.yyyy", "Tq#vLp!x1.2.1990", policy.CodeDate, "1.2.1990", ""},
		{"A5 Czech date dd.mm.yyyy", "Tq#vLp!x01.02.1990", policy.CodeDate, "01.02.1990", ""},
		{"A5 Czech date with spaces", "Tq#vLp!x1. 2. 1990", policy.CodeDate, "1. 2. 1990", ""},
		{"A5 ISO date", "Tq#vLp!x1990-02-01", policy.CodeDate, "1990-02-01", ""},
		{"A5 digit date ddmmyyyy", "Tq#vLp!x01021990", policy.CodeDate, "01021990", ""},
		{"A5 Czech month nominative", "Tq7#Leden!mXz", policy.CodeMonthName, "leden", ""},
		{"A5 Czech month genitive ledna", "Tq7#Ledna!mXz", policy.CodeMonthName, "ledna", ""},
		{"A5 Czech month instrumental dubnem", "Tq7#Dubnem!mXz", policy.CodeMonthName, "dubnem", ""},
		{"A5 Czech month locative říjnu", "Tq7#Říjnu!mXzv", policy.CodeMonthName, "rijnu", ""},
		{"A5 Czech month červenci", "Tq7#Červenci!mX", policy.CodeMonthName, "cervenci", ""},
		{"A5 Czech month prosincem", "Tq7#Prosincem!X", policy.CodeMonthName, "prosincem", ""},
		{"A5 Czech month with diacritics září", "Tq7#Září!mXzv", policy.CodeMonthName, "zari", ""},
		{"A5 Czech month listopadu", "Tq7#Listopadu!mX", policy.CodeMonthName, "listopadu", ""},
		{"A5 Czech month instrumental únorem", "Tq7#Únorem!mXz", policy.CodeMonthName, "unorem", ""},
		{"A5 English month", "Tq7#January!mX", policy.CodeMonthName, "january", ""},
		{"A5 English may as a word", "Tq7#may!mXzvR", policy.CodeMonthName, "may", ""},
	}
	ctx := policy.Context{Username: "novakovaj1", Email: "jana.novakova@archiv.cz", SystemName: "Badatelna",
		FirstName: "Jana", Surname: "Nováková"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := checker().Check(context.Background(), policy.Request{
				Profile: policy.ProfileNARP, Class: policy.ClassUser, Password: tc.pw, Context: ctx})
			require.NoError(t, err)
			var got *policy.Violation
			for i, v := range res.Violations {
				if v.Code == tc.want && (got == nil || v.Params["match"] == tc.match) {
					got = &res.Violations[i]
				}
			}
			require.NotNil(t, got, "want %s in %+v", tc.want, res.Violations)
			require.Equal(t, tc.match, got.Params["match"])
			if tc.layout != "" {
				require.Equal(t, tc.layout, got.Params["layout"])
			}
			require.Contains(t, got.English, tc.match)
			require.Contains(t, got.Czech, tc.match)
		})
	}
}

// TestRepeatedRunsBothReported: "bbbbb55555" is two runs, both named.
func TestRepeatedRunsBothReported(t *testing.T) {
	res, err := checker().Check(context.Background(), policy.Request{
		Profile: policy.ProfileNARP, Class: policy.ClassUser, Password: "T#bbbbb55555x"})
	require.NoError(t, err)
	var matches []string
	for _, v := range res.Violations {
		if v.Code == policy.CodeRepeated {
			matches = append(matches, v.Params["match"])
		}
	}
	require.Equal(t, []string{"bbbbb", "55555"}, matches)
}

// TestContextSources: each context word names its source, the e-mail's
// domain and local part separately, names with diacritics folded both in
// the context and in the password.
func TestContextSources(t *testing.T) {
	tests := []struct {
		name, pw, source, match string
		ctx                     policy.Context
	}{
		{"username", "Tq7#xnovakovaj1!", "username", "novakovaj1", policy.Context{Username: "novakovaj1"}},
		{"e-mail local part", "Tq7#Jnovak!xWq", "e-mail", "jnovak", policy.Context{Email: "jnovak@mvcr.cz"}},
		{"e-mail domain", "Tq7#Mvcr!xWqLp", "e-mail domain", "mvcr", policy.Context{Email: "jnovak@mvcr.cz"}},
		{"system name", "Tq7#Badatelna!", "system name", "badatelna", policy.Context{SystemName: "Badatelna"}},
		{"application name", "Tq7#Archivnet!", "application name", "archivnet", policy.Context{ApplicationName: "ArchivNet"}},
		{"first name folded", "Tq7#Jiri!xWqLp", "first name", "jiri", policy.Context{FirstName: "Jiří"}},
		{"surname folded both sides", "Tq7#ŘEHÁČEK!xW", "surname", "rehacek", policy.Context{Surname: "Řeháček"}},
		{"extra word", "Tq7#Sputnik!xW", "context word", "sputnik", policy.Context{Words: []string{"Sputnik"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := checker().Check(context.Background(), policy.Request{
				Profile: policy.ProfileNARP, Class: policy.ClassUser, Password: tc.pw, Context: tc.ctx})
			require.NoError(t, err)
			var found bool
			for _, v := range res.Violations {
				if v.Code == policy.CodeContextWord {
					found = true
					require.Equal(t, tc.source, v.Params["source"])
					require.Equal(t, tc.match, v.Params["match"])
					require.NotEmpty(t, v.Czech)
				}
			}
			require.True(t, found, "%+v", res.Violations)
		})
	}
}

// TestCompositionClasses: each of the four A5 classes is reported alone
// when only it is missing.
func TestCompositionClasses(t *testing.T) {
	tests := []struct {
		pw   string
		want policy.Code
	}{
		{"tq7#vlp2!mxzw", policy.CodeNoUpper},
		{"TQ7#VLP2!MXZW", policy.CodeNoLower},
		{"Tq#vLpw!mXzRk", policy.CodeNoDigit},
		{"Tq7vLp2mXzRkw", policy.CodeNoSpecial},
	}
	for _, tc := range tests {
		t.Run(string(tc.want), func(t *testing.T) {
			res, err := checker().Check(context.Background(), policy.Request{
				Profile: policy.ProfileNARP, Class: policy.ClassUser, Password: tc.pw})
			require.NoError(t, err)
			require.Equal(t, []policy.Code{tc.want}, codes(res.Violations), "%+v", res.Violations)
		})
	}
}

// TestNARPLengthPerClass: 12 for users and one-time accounts, 17 for
// administrators and applications, at the boundary (A5).
func TestNARPLengthPerClass(t *testing.T) {
	const base = "Tq7#vLp2!mXzRk8&wQjH" // 20 characters, no pattern
	for _, tc := range []struct {
		class policy.Class
		min   int
	}{{policy.ClassUser, 12}, {policy.ClassOneTime, 12}, {policy.ClassAdministrator, 17}, {policy.ClassApplication, 17}} {
		t.Run(string(tc.class), func(t *testing.T) {
			for _, n := range []int{tc.min - 1, tc.min} {
				res, err := checker().Check(context.Background(), policy.Request{
					Profile: policy.ProfileNARP, Class: tc.class, Password: base[:n]})
				require.NoError(t, err)
				if n < tc.min {
					require.Equal(t, []policy.Code{policy.CodeTooShort}, codes(res.Violations))
				} else {
					require.True(t, res.OK(), "%+v", res.Violations)
				}
			}
		})
	}
	p := policy.NARP()
	require.Equal(t, 12, p.History)
	require.Equal(t, 365, int(p.MaxAge.Hours()/24))
}

// TestNISTProfileShape: >= 15 single-factor, >= 8 with a second factor,
// 64 characters allowed, no composition and no rotation.
func TestNISTProfileShape(t *testing.T) {
	p := policy.NIST80063B4()
	for _, c := range policy.Classes() {
		require.Equal(t, 15, p.MinLengthFor(c, false))
		require.Equal(t, 8, p.MinLengthFor(c, true))
	}
	require.GreaterOrEqual(t, p.MaxLength, 64)
	require.False(t, p.RequireUpper || p.RequireLower || p.RequireDigit || p.RequireSpecial)
	require.Zero(t, p.MaxAge)
	require.Zero(t, p.History)
	res, err := checker().Check(context.Background(), policy.Request{
		Profile: policy.ProfileNIST, Class: policy.ClassUser, Password: "vlny pod mostem kytara zvoni potichu nad rekou a lodky spi v pristavu"[:64]})
	require.NoError(t, err)
	require.True(t, res.OK(), "%+v", res.Violations)
}
