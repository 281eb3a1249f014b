"""A generic job queue: the job log (`store`), the Huey queue (`queue`), the runner that
looks a job's kind up in a handler registry the application supplies (`runner`), and the
consumer loop (`worker`). What a job does is never imported here."""
