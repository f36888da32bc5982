"""Train the two-spirals MLP of the chapter "How to use this book" with gdl.tools.fit.

The same script runs on one process and, launched by torchrun, on several: fit joins the process
group, wraps the model in DistributedDataParallel and gives every process its share of each batch.

    python examples/train_ddp.py                                           # one process
    torchrun --standalone --nproc_per_node=2 examples/train_ddp.py         # two processes, one machine
    torchrun --standalone --nproc_per_node=2 examples/train_ddp.py \\
        --checkpoint runs/spirals.pt --stop-after 20                       # stops after 20 epochs ...
    torchrun --standalone --nproc_per_node=2 examples/train_ddp.py \\
        --checkpoint runs/spirals.pt                                       # ... and resumes at epoch 21

See examples/README.md for several machines.
"""
import argparse

import torch

from gdl.tools import fit, init_distributed, mlp, seed_everything


def two_spirals(n: int, noise: float, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """n points on each of two interleaved spirals in the plane, (2n, 2), with labels 0 and 1, (2n,)."""
    t = torch.rand(n, generator=generator) * 3 * torch.pi + 0.5
    arm = torch.stack([t * torch.cos(t), t * torch.sin(t)], dim=1) / 10
    x = torch.cat([arm, -arm]) + noise * torch.randn(2 * n, 2, generator=generator)
    y = torch.cat([torch.zeros(n), torch.ones(n)]).long()
    return x, y


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=60, help="epochs in all (default 60)")
    parser.add_argument("--batch-size", type=int, default=100,
                        help="the global batch, split evenly over the processes (default 100)")
    parser.add_argument("--lr", type=float, default=1e-2, help="Adam's learning rate (default 0.01)")
    parser.add_argument("--points", type=int, default=500, help="training points per spiral (default 500)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds the data, the initial model and the sample order (default 0)")
    parser.add_argument("--checkpoint", default=None,
                        help="file to save a checkpoint to and, when it exists, resume from")
    parser.add_argument("--checkpoint-every", type=int, default=1, help="save every k epochs (default 1)")
    parser.add_argument("--stop-after", type=int, default=None,
                        help="return after this many epochs, as if interrupted (needs --checkpoint)")
    parser.add_argument("--save", default=None, help="file to write the trained model's state_dict to")
    parser.add_argument("--device", default=None,
                        help="cpu or cuda (default: each process's GPU when there is one, else the CPU)")
    args = parser.parse_args(argv)

    rank, world, device = init_distributed(args.device)  # one process: (0, 1, device)
    generator = seed_everything(args.seed)  # every process draws the same data and initial model
    x_train, y_train = two_spirals(args.points, 0.02, generator)
    x_val, y_val = two_spirals(200, 0.02, generator)
    model = mlp(2, 64, 64, 2)
    history = fit(model, (x_train, y_train), val=(x_val, y_val), epochs=args.epochs, lr=args.lr,
                  batch_size=args.batch_size, seed=args.seed, device=device, checkpoint=args.checkpoint,
                  checkpoint_every=args.checkpoint_every, stop_after=args.stop_after,
                  desc=f"two spirals, {world} process(es)")
    if rank == 0:  # one report, not one per process
        print(f"{world} process(es) on {device.type}: {len(history['train_loss'])}/{args.epochs} epochs, "
              f"training loss {history['train_loss'][-1]:.4f}, validation accuracy "
              f"{history['val_metric'][-1]:.1%}, {history['time_s']:.1f} s")
        if args.save:
            torch.save(model.state_dict(), args.save)
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
    return history


if __name__ == "__main__":
    main()
