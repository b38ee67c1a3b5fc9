package policy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account/policy"
)

// checker is shared: building the blocklist map costs a few milliseconds.
var checker = sync.OnceValue(func() *policy.Checker {
	c, err := policy.New(policy.Config{})
	if err != nil {
		panic(err)
	}
	return c
})

func codes(vs []policy.Violation) []policy.Code {
	var out []policy.Code
	for _, v := range vs {
		out = append(out, v.Code)
	}
	return out
}

var janaCtx = policy.Context{
	Username: "novakovaj1", Email: "jana.novakova@archiv.cz", SystemName: "Badatelna",
	FirstName: "Jana", Surname: "Nováková", BirthDate: time.Date(1985, 12, 24, 0, 0, 0, 0, time.UTC),
}

// TestCheckNARP covers every A5 rule of the narp profile.
func TestCheckNARP(t *testing.T) {
	tests := []struct {
		name  string
		class policy.Class
		pw    string
		want  []policy.Code // exact set, in order
	}{
		{"A5 good user password", policy.ClassUser, "Tq7#vLp2!mXz", nil},
		{"A5 user too short", policy.ClassUser, "Tq7#vLp2!m", []policy.Code{policy.CodeTooShort}},
		{"A5 administrator needs 17", policy.ClassAdministrator, "Tq7#vLp2!mXzR8", []policy.Code{policy.CodeTooShort}},
		{"A5 application needs 17", policy.ClassApplication, "Tq7#vLp2!mXzR8&wQk", nil},
		{"A5 no composition at all", policy.ClassUser, "tqwvlpomxzrbge",
			[]policy.Code{policy.CodeNoUpper, policy.CodeNoDigit, policy.CodeNoSpecial}},
		{"A5 ascending digits", policy.ClassUser, "Tq#vLp!mXz1234", []policy.Code{policy.CodeSequence}},
		{"A5 letters abcd", policy.ClassUser, "Tq#7vLp!abcdX", []policy.Code{policy.CodeSequence}},
		{"A5 descending 9876", policy.ClassUser, "Tq#vLp!mXz9876", []policy.Code{policy.CodeSequence}},
		{"A5 QWERTZ walk", policy.ClassUser, "Qwertz#7Lp!mX", []policy.Code{policy.CodeKeyboardWalk}},
		{"A5 QWERTY column", policy.ClassUser, "1qaz#7Lp!mXVb", []policy.Code{policy.CodeKeyboardWalk}},
		{"A5 repeated aaaaa", policy.ClassUser, "Tq7#vLp!aaaaa", []policy.Code{policy.CodeRepeated}},
		{"A5 repeated bbbbb55555", policy.ClassUser, "T#bbbbb55555x", []policy.Code{policy.CodeRepeated, policy.CodeRepeated}},
		{"A5 repeated block", policy.ClassUser, "T#7xababab!Lq", []policy.Code{policy.CodeRepeated}},
		{"A5 username", policy.ClassUser, "Tq7#novakovaj!X", []policy.Code{policy.CodeContextWord}},
		{"A5 surname with diacritics folded", policy.ClassUser, "Tq7#NOVÁKOVÁ!x", []policy.Code{policy.CodeContextWord}},
		{"A5 system name", policy.ClassUser, "Tq7#Badatelna!", []policy.Code{policy.CodeContextWord}},
		{"A5 e-mail domain", policy.ClassUser, "Tq7#Archiv!mXz", []policy.Code{policy.CodeContextWord}},
		{"A5 Czech date", policy.ClassUser, "Tq#vLp!x24.12.1985", []policy.Code{policy.CodeDate}},
		{"A5 ISO date", policy.ClassUser, "Tq#vLp!x2019-03-07", []policy.Code{policy.CodeDate}},
		{"A5 birth year", policy.ClassUser, "Tq#vLp!mXz1985", []policy.Code{policy.CodeDate}},
		{"A5 Czech month", policy.ClassUser, "Tq7#Březen!mXz", []policy.Code{policy.CodeMonthName}},
		{"A5 English month", policy.ClassUser, "Tq7#October!mX", []policy.Code{policy.CodeMonthName}},
		{"A5 common first name", policy.ClassUser, "Tq7#Martina!mX", []policy.Code{policy.CodePersonalName}},
		{"A5 common password decorated", policy.ClassUser, "P@ssw0rd!2024#", []policy.Code{policy.CodeCommon}},
		{"A5 blocklist with digits appended", policy.ClassUser, "Monkey!8613#", []policy.Code{policy.CodeCommon}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := checker().Check(context.Background(), policy.Request{
				Profile: "narp", Class: tc.class, Password: tc.pw, Context: janaCtx})
			require.NoError(t, err)
			require.Equal(t, tc.want, codes(res.Violations), "%+v", res.Violations)
			require.Equal(t, "narp@1", res.Profile)
			for _, v := range res.Violations {
				require.NotEmpty(t, v.English)
				require.NotEmpty(t, v.Czech)
				require.NotEqual(t, v.English, v.Czech)
			}
		})
	}
}

// TestCheckReturnsEveryViolation: validation lists every violation, not
// the first one (issue 4).
func TestCheckReturnsEveryViolation(t *testing.T) {
	err := checker().Validate(context.Background(), policy.Request{
		Profile: "narp", Class: policy.ClassAdministrator, Password: "novakovaj1234", Context: janaCtx})
	var ve *policy.ViolationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, policy.ErrPolicyViolation)
	for _, c := range []policy.Code{policy.CodeTooShort, policy.CodeNoUpper, policy.CodeNoSpecial,
		policy.CodeSequence, policy.CodeContextWord} {
		require.True(t, ve.Has(c), "missing %s in %v", c, err)
	}
	require.Contains(t, ve.Violations[0].Params, "min")
	require.Equal(t, "17", ve.Violations[0].Params["min"])
}

func TestCheckNIST(t *testing.T) {
	tests := []struct {
		name   string
		second bool
		pw     string
		want   []policy.Code
	}{
		{"passphrase, no composition needed", false, "correct pony staple lantern", nil},
		{"single-factor needs 15", false, "vlny pod mostem", nil},
		{"single-factor 14 too short", false, "vlny pod moste", []policy.Code{policy.CodeTooShort}},
		{"with second factor 8 is enough", true, "kytara zx", nil},
		{"blocklist reason shown", true, "iloveyou", []policy.Code{policy.CodeCommon}},
		{"no rotation-era composition codes", false, "ALLUPPERCASEWORDSHERE", nil},
		{"64 characters allowed", false, strings.Repeat("a b ", 16), []policy.Code{policy.CodeRepeated}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := checker().Check(context.Background(), policy.Request{
				Profile: policy.ProfileNIST, Class: policy.ClassUser, SecondFactor: tc.second, Password: tc.pw})
			require.NoError(t, err)
			require.Equal(t, tc.want, codes(res.Violations), "%+v", res.Violations)
		})
	}
	res, err := checker().Check(context.Background(), policy.Request{
		Profile: policy.ProfileNIST, Class: policy.ClassUser, SecondFactor: true, Password: "iloveyou"})
	require.NoError(t, err)
	require.Equal(t, "iloveyou", res.Violations[0].Params["match"])
	require.NotEmpty(t, res.Violations[0].Params["rank"])
	require.Contains(t, res.Violations[0].English, "commonly used")
}

func TestCheckBadInput(t *testing.T) {
	tests := []struct {
		name string
		req  policy.Request
		want error
	}{
		{"invalid UTF-8", policy.Request{Profile: "narp", Class: policy.ClassUser, Password: "Ab1#\xff\xfeabcdefg"}, policy.ErrInvalidUTF8},
		{"NUL byte", policy.Request{Profile: "narp", Class: policy.ClassUser, Password: "Ab1#\x00abcdefghij"}, policy.ErrNULByte},
		{"over 1024 bytes", policy.Request{Profile: "narp", Class: policy.ClassUser, Password: strings.Repeat("x", 1025)}, policy.ErrTooLong},
		{"NFKC expansion over limit", policy.Request{Profile: "narp", Class: policy.ClassUser, Password: strings.Repeat("\ufdfa", 100)}, policy.ErrTooLong},
		{"unknown profile", policy.Request{Profile: "owasp", Class: policy.ClassUser, Password: "x"}, policy.ErrUnknownProfile},
		{"unknown version", policy.Request{Profile: "narp@9", Class: policy.ClassUser, Password: "x"}, policy.ErrUnknownProfile},
		{"unknown class", policy.Request{Profile: "narp", Class: "robot", Password: "x"}, policy.ErrUnknownClass},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checker().Check(context.Background(), tc.req)
			require.ErrorIs(t, err, tc.want)
		})
	}
	_, err := checker().Check(context.Background(), policy.Request{Profile: "narp", Class: policy.ClassUser, Password: strings.Repeat("x", 1024)})
	require.NoError(t, err, "exactly the limit is accepted")
}

func TestNormalizeNFKC(t *testing.T) {
	n, err := policy.Normalize("Ｐａｓｓ\u00a0ｗｏｒｄ") // full-width and NBSP
	require.NoError(t, err)
	require.Equal(t, "Pass word", n)
	composed, err := policy.Normalize("Nova\u0301kova\u0301")
	require.NoError(t, err)
	require.Equal(t, "Nováková", composed)
	require.Equal(t, "novakova", policy.Fold("NOVÁKOVÁ"))
}

type fakeBreach struct {
	n   int
	err error
	got string
}

func (f *fakeBreach) Count(_ context.Context, pw string) (int, error) { f.got = pw; return f.n, f.err }

func TestBreachCheck(t *testing.T) {
	ctx := context.Background()
	req := policy.Request{Profile: policy.ProfileNIST, Class: policy.ClassUser, Password: "ｋｙｔａｒａ pod mostem"}
	fb := &fakeBreach{n: 42}
	c, err := policy.New(policy.Config{Breach: fb})
	require.NoError(t, err)
	res, err := c.Check(ctx, req)
	require.NoError(t, err)
	require.Equal(t, []policy.Code{policy.CodeBreached}, codes(res.Violations))
	require.Equal(t, "42", res.Violations[0].Params["count"])
	require.Equal(t, "kytara pod mostem", fb.got, "the breach service sees the NFKC form")

	down := &fakeBreach{err: errors.New("dial tcp: refused")}
	c, err = policy.New(policy.Config{Breach: down})
	require.NoError(t, err)
	_, err = c.Check(ctx, req)
	require.ErrorIs(t, err, policy.ErrBreachCheckFailed, "fails closed by default")

	c, err = policy.New(policy.Config{Breach: down, AllowBreachCheckFailure: true})
	require.NoError(t, err)
	res, err = c.Check(ctx, req)
	require.NoError(t, err)
	require.True(t, res.OK())
}

func TestProfilesAsData(t *testing.T) {
	p2 := policy.NARP()
	p2.Version = 2
	p2.MinLength[policy.ClassUser] = 14
	c, err := policy.New(policy.Config{Profiles: []policy.Profile{policy.NARP(), p2}})
	require.NoError(t, err)
	p2.MinLength[policy.ClassUser] = 99 // New copied the profile

	latest, err := c.Profile("narp")
	require.NoError(t, err)
	require.Equal(t, 2, latest.Version)
	require.Equal(t, 14, latest.MinLength[policy.ClassUser])
	old, err := c.Profile("narp@1")
	require.NoError(t, err)
	require.Equal(t, 12, old.MinLength[policy.ClassUser])

	res, err := c.Check(context.Background(), policy.Request{Profile: "narp", Class: policy.ClassUser, Password: "Tq7#vLp2!mXz"})
	require.NoError(t, err)
	require.Equal(t, "narp@2", res.Profile)
	require.Equal(t, []policy.Code{policy.CodeTooShort}, codes(res.Violations))
}

func TestConfigValidateReportsEveryProblem(t *testing.T) {
	bad := policy.Profile{Name: "", Version: 0, MaxLength: 0, Checks: []policy.Check{"astrology"}}
	dup := policy.NARP()
	err := policy.Config{Profiles: []policy.Profile{bad, dup, dup}}.Validate()
	require.ErrorIs(t, err, policy.ErrInvalidProfile)
	for _, s := range []string{"empty name", "version 0", "MaxLength 0", "MinLength[user]", "astrology", "duplicate profile narp@1"} {
		require.Contains(t, err.Error(), s)
	}
	_, err = policy.New(policy.Config{Profiles: []policy.Profile{bad}})
	require.ErrorIs(t, err, policy.ErrInvalidProfile)
}

func TestExplain(t *testing.T) {
	deps := policy.Explain(policy.NARP())
	aspects := map[policy.Aspect]policy.Departure{}
	for _, d := range deps {
		aspects[d.Aspect] = d
	}
	require.Len(t, deps, 3)
	require.Contains(t, aspects[policy.AspectMinLength].Profile, "user 12")
	require.Contains(t, aspects[policy.AspectComposition].Reason, "A5")
	require.Contains(t, aspects[policy.AspectRotation].Profile, "365 days")
	require.Empty(t, policy.Explain(policy.NIST80063B4()), "NIST profile does not depart from itself")

	weak := policy.NIST80063B4()
	weak.MaxLength = 32
	weak.Checks = nil
	deps = policy.Explain(weak)
	require.Len(t, deps, 2)
	require.Equal(t, "no rationale recorded in the profile", deps[0].Reason)
}

func TestBlocklistEmbedded(t *testing.T) {
	require.GreaterOrEqual(t, policy.BlocklistSize, 10000)
	for _, pw := range []string{"123456", "password", "qwerty", "dragon", "trustno1"} {
		res, err := checker().Check(context.Background(), policy.Request{Profile: policy.ProfileNIST, Class: policy.ClassUser, SecondFactor: true, Password: "#" + pw + "!!"})
		require.NoError(t, err)
		found := false
		for _, v := range res.Violations {
			found = found || v.Code == policy.CodeCommon
		}
		require.True(t, found, pw)
	}
}
