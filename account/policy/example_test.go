package policy_test

import (
	"context"
	"fmt"

	"github.com/eidkit/eidkit/account/policy"
)

func ExampleChecker_Check() {
	c, err := policy.New(policy.Config{})
	if err != nil {
		panic(err)
	}
	res, err := c.Check(context.Background(), policy.Request{
		Profile:  policy.ProfileNARP,
		Class:    policy.ClassAdministrator,
		Password: "novakova1234",
		Context:  policy.Context{FirstName: "Jana", Surname: "Nováková"},
	})
	if err != nil {
		panic(err)
	}
	for _, v := range res.Violations {
		fmt.Println(v.Code, v.Params["match"], "|", v.Czech)
	}
	// Output:
	// length.min  | Heslo musí mít alespoň 17 znaků (má 12).
	// composition.upper  | Heslo musí obsahovat velké písmeno.
	// composition.special  | Heslo musí obsahovat speciální znak, například . , * _ ^ + # $ @.
	// pattern.sequence 1234 | Heslo obsahuje jednoduchou posloupnost "1234".
	// context.word novakova | Heslo obsahuje vaše jméno ("novakova").
}

func ExampleExplain() {
	for _, d := range policy.Explain(policy.NARP()) {
		fmt.Printf("%s: %s; NIST: %s\n", d.Aspect, d.Profile, d.NIST)
	}
	// Output:
	// length.min: minimum length: user 12, one-time 12; NIST: at least 15 characters single-factor, 8 with a second factor (SHALL)
	// composition: requires upper-case, lower-case, digit, special; NIST: no composition rules (SHALL NOT)
	// rotation: forced change every 365 days; NIST: no periodic change; change only on evidence of compromise (SHALL NOT)
}
