package livepushtest

import (
	"cmp"
	"context"
	"slices"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

func (a *api) ListTeams(context.Context, server.ListTeamsRequestObject) (server.ListTeamsResponseObject, error) {
	teams := a.teams.List(nil)
	for i := range teams {
		teams[i] = a.withRole(teams[i])
	}
	return server.ListTeams200JSONResponse(teams), nil
}

// AddTeamMember adds the user with the email to the team. Adding a member
// again changes their role, as a repeated invitation would.
func (a *api) AddTeamMember(_ context.Context, req server.AddTeamMemberRequestObject) (server.AddTeamMemberResponseObject, error) {
	b := table.Deref(req.Body)
	t, ok := a.teams.Get(req.TeamID)
	if !ok {
		return nil, notFound("Team")
	}
	members := table.Deref(t.Members)
	i := slices.IndexFunc(members, func(m server.TeamMember) bool { return table.Deref(m.Email) == b.Email })
	if i < 0 {
		members = append(members, a.user(b.Email))
		i = len(members) - 1
	}
	members[i].Role = cmp.Or(b.Role, cmp.Or(members[i].Role, onair.Ptr("member")))
	t.Members = &members
	a.teams.Put(t.ID, t)
	return server.AddTeamMember201JSONResponse(members[i]), nil
}

func (a *api) RemoveTeamMember(_ context.Context, req server.RemoveTeamMemberRequestObject) (server.RemoveTeamMemberResponseObject, error) {
	t, ok := a.teams.Get(req.TeamID)
	if !ok {
		return nil, notFound("Team")
	}
	members := table.Deref(t.Members)
	n := len(members)
	members = slices.DeleteFunc(members, func(m server.TeamMember) bool { return m.ID == req.MemberID })
	if len(members) == n {
		return nil, notFound("Member")
	}
	t.Members = &members
	a.teams.Put(t.ID, t)
	return server.RemoveTeamMember204Response{}, nil
}

// withRole sets the team's role to the account's role in it.
func (a *api) withRole(t server.Team) server.Team {
	t.Role = nil
	for _, m := range table.Deref(t.Members) {
		if m.ID == a.account.ID {
			t.Role = m.Role
		}
	}
	return t
}

// user returns the user with the email as a new team member: someone
// already in a team keeps their id and name; anyone else is invited
// under a new id.
func (a *api) user(email openapi_types.Email) server.TeamMember {
	known := []server.TeamMember{{ID: a.account.ID, Email: &a.account.Email, Name: a.account.Name}}
	for _, t := range a.teams.List(nil) {
		known = append(known, table.Deref(t.Members)...)
	}
	for _, m := range known {
		if table.Deref(m.Email) == email {
			return server.TeamMember{ID: m.ID, Email: &email, Name: m.Name}
		}
	}
	return server.TeamMember{ID: newID("", 13), Email: &email}
}
