# mpirun -n 4
# COMM_WORLD as tutorials use it: every rank runs this; only rank 0 prints (what it gathered).
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank = comm.Get_rank()
size = comm.size

if rank == 0:
    for dest in range(1, size):
        comm.send({"to": dest, "items": [1, 2.5, "x", (3, None)]}, dest=dest, tag=11)
    replies = sorted(comm.recv(source=MPI.ANY_SOURCE, tag=12) for _ in range(1, size))
else:
    message = comm.recv(source=0, tag=11)
    comm.send((rank, message["to"] * 7, message["items"][3]), dest=0, tag=12)
    replies = None

config = comm.bcast({"step": 3, "name": "run"} if rank == 0 else None, root=0)
comm.barrier()
line = (rank, config["step"],
        comm.allreduce(rank + 1, op=MPI.SUM), comm.allreduce(rank * 10, op=MPI.MAX),
        comm.allreduce(rank + 1, op=MPI.PROD), comm.allreduce(rank + 2, op=MPI.MIN),
        comm.allreduce(0.5 * rank), comm.allgather(rank * rank),
        comm.scatter([i * 100 for i in range(size)] if rank == 0 else None, root=0),
        comm.reduce([rank], op=MPI.SUM, root=0))
lines = comm.gather(line, root=0)
if rank == 0:
    print("replies", replies)
    for each in lines:
        print(*each)
    try:
        comm.send(1, dest=size + 5)
    except Exception as e:
        print("bad rank:", type(e).__name__)
