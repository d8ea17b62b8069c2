package livestormtest

import (
	"context"

	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// job is a bulk registration and the results of its tasks.
type job struct {
	Job   server.Job       `json:"job"`
	Tasks []server.JobTask `json:"tasks"`
}

func (a *api) GetJob(_ context.Context, req server.GetJobRequestObject) (server.GetJobResponseObject, error) {
	j, err := table.Find(&a.jobs, req.ID, notFound("job"))
	return server.GetJob200ApplicationVndAPIPlusJSONResponse{Body: server.JobResponse{Data: j.Job}}, err
}

func (a *api) ListJobTasks(_ context.Context, req server.ListJobTasksRequestObject) (server.ListJobTasksResponseObject, error) {
	j, ok := a.jobs.Get(req.ID)
	if !ok {
		return nil, notFound("job")
	}
	page, meta, err := paginate(j.Tasks, req.Params.PageNumber, req.Params.PageSize)
	return server.ListJobTasks200ApplicationVndAPIPlusJSONResponse{Body: server.JobTaskList{Data: page, Meta: meta}}, err
}
