/**
 * The fixed parts of the exported project's Python: the training program (train.py; only its CONFIG
 * is printed from the graph) and the weight files' reader/writer (model.py's tail). They do not depend
 * on the graph, so they are kept as the Python they are, formatted by hand.
 */

/** model.py's weights helpers: safetensors through the package when installed, else a few lines of our own. */
export const weightsPy = `def tensor_bytes(tensor):
    """A tensor's raw bytes (little-endian on the usual hosts)."""
    tensor = tensor.detach().cpu().contiguous()
    try:
        return tensor.numpy().tobytes()
    except (ImportError, RuntimeError):
        return bytes(tensor.reshape(-1).view(torch.uint8).tolist())


def read_safetensors(path):
    """The tensors and metadata of a safetensors file of float32 tensors."""
    try:
        from safetensors import safe_open
    except ImportError:
        raw = Path(path).read_bytes()
        (length,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8 : 8 + length])
        metadata = header.pop("__metadata__", None) or {}
        tensors = {}
        for name, info in header.items():
            if info["dtype"] != "F32":
                raise ValueError(f"{path}: {name} is {info['dtype']}, only F32 is read")
            start, end = info["data_offsets"]
            data = bytearray(raw[8 + length + start : 8 + length + end])
            tensors[name] = torch.frombuffer(data, dtype=torch.float32).reshape(info["shape"])
        return tensors, metadata
    with safe_open(str(path), framework="pt") as f:
        return {name: f.get_tensor(name) for name in f.keys()}, f.metadata() or {}


def write_safetensors(path, tensors, metadata):
    """Writes float32 tensors (and string metadata) as safetensors."""
    tensors = {name: t.detach().cpu().float().contiguous() for name, t in tensors.items()}
    try:
        from safetensors.torch import save_file
    except ImportError:
        header, offset = {"__metadata__": metadata}, 0
        for name, t in tensors.items():
            header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + 4 * t.numel()]}
            offset += 4 * t.numel()
        head = json.dumps(header).encode()
        head += b" " * ((8 - (8 + len(head)) % 8) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(head)) + head)
            for t in tensors.values():
                f.write(tensor_bytes(t))
        return
    save_file(tensors, str(path), metadata)


def load_weights(model, path):
    """Loads weights (e.g. the browser's weights.safetensors) into the model; returns the file's metadata."""
    tensors, metadata = read_safetensors(path)
    model.load_state_dict(tensors)
    return metadata


def save_weights(model, path, metadata):
    write_safetensors(path, model.state_dict(), {k: str(v) for k, v in metadata.items()})
`;

/** train.py after its docstring and CONFIG (which the exporter prints). */
export const trainPy = `

def parse_args():
    p = argparse.ArgumentParser(description="Trains the exported graph (see README.md).")
    p.add_argument("--resume", action="store_true", help="start from the browser's weights (--weights)")
    p.add_argument("--weights", default=str(HERE / "weights.safetensors"), help="the weights --resume starts from")
    p.add_argument("--optimizer-state", default=str(HERE / "optimizer.safetensors"), help="Adam's moments --resume continues with, if the file is there")
    p.add_argument("--out", default=str(HERE / "trained.safetensors"), help="where the trained weights go")
    p.add_argument("--epochs", type=int, default=CONFIG["epochs"], help="epochs to train (counted on from the browser's with --resume)")
    p.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: train every epoch)")
    p.add_argument("--batch-size", type=int, default=CONFIG["batch_size"], help="0: the whole dataset in one batch")
    p.add_argument("--lr", type=float, default=CONFIG["lr"])
    p.add_argument("--seed", type=int, default=CONFIG["seed"])
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--no-noise", action="store_true", help="noise and latent sampling off: a deterministic run")
    p.add_argument("--json", action="store_true", help="print a JSON summary per rank instead of progress")
    return p.parse_args()


def scheduled_lr(lr, epoch):
    """The learning rate at an epoch: constant, step or exponential (adaptive changes it from the losses)."""
    if CONFIG["schedule"] == "step":
        return lr * CONFIG["decay_rate"] ** (epoch // CONFIG["decay_every"])
    if CONFIG["schedule"] == "exponential":
        return lr * CONFIG["decay_rate"] ** (epoch / CONFIG["decay_every"])
    return lr


def restore_adam(optimizer, model, path):
    """Adam's moments and step count from latentflow, so --resume continues the same optimisation."""
    tensors, metadata = read_safetensors(path)
    step = float(metadata.get("step", 0))
    for name, p in model.named_parameters():
        optimizer.state[p] = {
            "step": torch.tensor(step),
            "exp_avg": tensors["exp_avg." + name].to(p.device).clone(),
            "exp_avg_sq": tensors["exp_avg_sq." + name].to(p.device).clone(),
        }


def make_optimizer(params, lr):
    """The trainer's optimizer, with TensorFlow.js's epsilon (1e-7)."""
    name = CONFIG["optimizer"]
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=CONFIG["momentum"])
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, momentum=CONFIG["momentum"], eps=1e-7)
    return torch.optim.Adam(params, lr=lr, betas=(CONFIG["beta1"], CONFIG["beta2"]), eps=1e-7)


def weights_digest(model):
    """SHA-256 of every weight: the same on every rank of a DistributedDataParallel run."""
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor_bytes(tensor))
    return h.hexdigest()


def split(x):
    """The training and held-out samples: the same test split as in the browser (data/split.json)."""
    split_file = DATA / "split.json"
    if not split_file.exists():
        return x, None
    held_out = torch.tensor(json.loads(split_file.read_text())["test"], dtype=torch.long)
    keep = torch.ones(len(x), dtype=torch.bool)
    keep[held_out] = False
    return x[keep], x[held_out][:10_000]


def mean_over_ranks(value, world):
    if world > 1:
        value = value.clone()
        dist.all_reduce(value)
        value /= world
    return value.item()


def main():
    args = parse_args()
    world, rank = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("RANK", "0"))
    device = torch.device(args.device)
    if world > 1:
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    torch.manual_seed(args.seed)
    x, _labels = load_data()
    train_x, test_x = split(x)
    train_x = train_x.to(device)
    test_x = test_x.to(device) if test_x is not None else None

    model = Model().to(device)
    start_epoch = 0
    if args.resume:
        start_epoch = int(load_weights(model, args.weights).get("epoch", 0))
    net = model
    if world > 1:
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    lr = args.lr
    optimizer = make_optimizer(net.parameters(), lr)
    if args.resume and CONFIG["optimizer"] == "adam" and Path(args.optimizer_state).exists():
        restore_adam(optimizer, model, args.optimizer_state)
    n, batch_size = len(train_x), args.batch_size
    steps_per_epoch = math.ceil(n / batch_size) if 0 < batch_size < n else 1
    shuffle = torch.Generator().manual_seed(args.seed)
    noise_levels = torch.Generator().manual_seed(args.seed + 1)
    stochastic = not args.no_noise

    losses, test_losses, epoch_losses = [], [], []
    best, since_best, better_streak = math.inf, 0, 0
    step, reason, last_print = 0, "trained every epoch", 0.0
    epoch = start_epoch
    for epoch in range(start_epoch, start_epoch + args.epochs):
        if CONFIG["schedule"] != "adaptive":
            lr = scheduled_lr(args.lr, epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        model.new_epoch(noise_levels)
        order = torch.randperm(n, generator=shuffle) if steps_per_epoch > 1 else torch.arange(n)
        net.train()
        total = 0.0
        for s in range(steps_per_epoch):
            idx = order[s * batch_size : (s + 1) * batch_size] if steps_per_epoch > 1 else order
            batch = train_x[idx[rank::world].to(device)]
            out = net(batch, "train", stochastic)
            loss = sum(loss_terms(out, batch, epoch).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            value = mean_over_ranks(loss.detach(), world)
            if not math.isfinite(value):
                reason = f"the loss became {value} at step {step + 1}: try a smaller learning rate"
                break
            losses.append(value)
            total += value
            step += 1
            if args.steps and step >= args.steps:
                reason = f"stopped after {step} steps (--steps)"
                break
        if reason != "trained every epoch":
            break
        epoch_loss = total / steps_per_epoch
        watched = epoch_loss
        if test_x is not None and (epoch + 1) % CONFIG["test_every"] == 0:
            net.eval()
            with torch.no_grad():
                out = model(test_x, "test", stochastic)
                test_loss = mean_over_ranks(sum(loss_terms(out, test_x, epoch).values()), world)
            test_losses.append({"epoch": epoch, "loss": test_loss})
            watched = test_loss
        elif test_x is not None:
            watched = None
        if CONFIG["schedule"] == "adaptive" and epoch_losses:
            if epoch_loss < epoch_losses[-1]:
                better_streak += 1
                if better_streak >= CONFIG["adaptive_after"]:
                    better_streak, lr = 0, lr * CONFIG["adaptive_grow"]
            else:
                better_streak, lr = 0, lr * CONFIG["adaptive_shrink"]
        epoch_losses.append(epoch_loss)
        if rank == 0 and not args.json and (time.time() - last_print > 1 or epoch == start_epoch + args.epochs - 1):
            last_print = time.time()
            test = f"  test loss {test_losses[-1]['loss']:.5g}" if test_losses else ""
            print(f"epoch {epoch + 1}  loss {epoch_loss:.5g}{test}  lr {lr:.3g}", flush=True)
        if watched is not None:
            if watched < best - CONFIG["min_delta"]:
                best, since_best = watched, 0
            elif CONFIG["patience"] > 0:
                since_best += 1
                if since_best >= CONFIG["patience"]:
                    reason = f"stopped early at epoch {epoch + 1}: no improvement for {since_best} measurements (best {best:.5g})"
                    break

    if rank == 0:
        save_weights(model, args.out, {"epoch": epoch + 1, "step": step})
    summary = {
        "rank": rank,
        "world_size": world,
        "device": str(device),
        "steps": step,
        "epochs": epoch + 1 - start_epoch,
        "reason": reason,
        "losses": losses,
        "test_losses": test_losses,
        "weights_digest": weights_digest(model),
    }
    if args.json:
        print(json.dumps(summary), flush=True)
    elif rank == 0:
        print(f"{reason}; {step} steps; weights written to {args.out}")
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
