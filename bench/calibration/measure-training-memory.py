"""Measure peak training memory of Qwen2-style models with random weights, mimicking
LLaMA-Factory's defaults (bf16 compute, fp32 upcast of trainable params unless pure_bf16,
reentrant gradient checkpointing, SDPA attention, fused AdamW, transformers' own loss).
Writes one CSV row per configuration as soon as it is measured."""
import csv, gc, os, sys, time
import torch
from transformers import AutoModelForCausalLM, Qwen2Config

DEVICE = sys.argv[1] if len(sys.argv) > 1 else 'cuda'
OUT = os.environ.get('OUT', '.')
BUDGET_S = float(os.environ.get('BUDGET_S', '330'))
STEPS = int(os.environ.get('STEPS', '3'))
SMALL = os.environ.get('TINY') == '1'

MODELS = {
    'qwen2-0.5b-like': dict(num_hidden_layers=24, hidden_size=896, num_attention_heads=14, num_key_value_heads=2,
                            intermediate_size=4864, vocab_size=151936, tie_word_embeddings=True),
    'qwen2-1.5b-like': dict(num_hidden_layers=28, hidden_size=1536, num_attention_heads=12, num_key_value_heads=2,
                            intermediate_size=8960, vocab_size=151936, tie_word_embeddings=True),
}
if SMALL:
    MODELS = {'tiny': dict(num_hidden_layers=2, hidden_size=64, num_attention_heads=4, num_key_value_heads=2,
                           intermediate_size=128, vocab_size=1000, tie_word_embeddings=True)}

GIB = 2 ** 30
FIELDS = ['model', 'params_b', 'method', 'precision', 'grad_ckpt', 'seq_len', 'batch_size', 'steps',
          'alloc_peak_gib', 'reserved_peak_gib', 'alloc_after_load_gib', 'outside_torch_gib', 'step_s', 'status']


def build(arch, method, precision, ckpt):
    cfg = Qwen2Config(**arch, max_position_embeddings=32768, use_cache=False)
    with torch.device(DEVICE):
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16, attn_implementation='sdpa')
    if ckpt:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={'use_reentrant': True})
        model.enable_input_require_grads()
    if method == 'lora':
        from peft import LoraConfig, get_peft_model
        lcfg = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type='CAUSAL_LM',
                          target_modules=['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'])
        model = get_peft_model(model, lcfg, autocast_adapter_dtype=False)
    if precision == 'bf16':
        # LLaMA-Factory casts every trainable parameter to fp32 unless pure_bf16.
        for p in model.parameters():
            if p.requires_grad:
                p.data = p.data.to(torch.float32)
    else:
        for p in model.parameters():
            if p.requires_grad:
                p.data = p.data.to(torch.bfloat16)
    model.train()
    return model


def run_one(name, arch, method, precision, ckpt, seq, batch):
    gc.collect()
    if DEVICE == 'cuda':
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    model = opt = None
    row = dict(model=name, method=method, precision=precision, grad_ckpt=ckpt, seq_len=seq, batch_size=batch, steps=STEPS)
    try:
        model = build(arch, method, precision, ckpt)
        row['params_b'] = round(sum(p.numel() for p in model.parameters()) / 1e9, 4)
        if DEVICE == 'cuda':
            row['alloc_after_load_gib'] = round(torch.cuda.memory_allocated() / GIB, 4)
        trainable = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(trainable, lr=1e-5, fused=(DEVICE == 'cuda'))
        ids = torch.randint(0, arch['vocab_size'], (batch, seq), device=DEVICE)
        t0 = time.time()
        for _ in range(STEPS):
            with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=(precision == 'bf16')):
                out = model(input_ids=ids, labels=ids)
            out.loss.backward()
            del out
            opt.step()
            opt.zero_grad(set_to_none=True)
        if DEVICE == 'cuda':
            torch.cuda.synchronize()
            row['alloc_peak_gib'] = round(torch.cuda.max_memory_allocated() / GIB, 4)
            row['reserved_peak_gib'] = round(torch.cuda.max_memory_reserved() / GIB, 4)
            free, total = torch.cuda.mem_get_info()
            row['outside_torch_gib'] = round((total - free - torch.cuda.memory_reserved()) / GIB, 4)
        row['step_s'] = round((time.time() - t0) / STEPS, 3)
        row['status'] = 'ok'
    except torch.OutOfMemoryError:
        row['status'] = 'oom'
    except Exception as e:  # keep the grid going; the status says what failed
        row['status'] = 'error:' + type(e).__name__ + ':' + str(e)[:120].replace('\n', ' ')
    finally:
        del model, opt
        gc.collect()
        if DEVICE == 'cuda':
            torch.cuda.empty_cache()
    return row


def grid():
    # Most informative combinations first, so a cut-off run still covers every axis.
    for name in MODELS:
        for method in ('lora', 'full'):
            for precision in ('bf16', 'pure_bf16'):
                for ckpt in (True, False):
                    for seq, batch in ((1024, 1), (4096, 1), (1024, 4), (4096, 4)):
                        yield name, method, precision, ckpt, seq, batch


def main():
    start = time.time()
    path = os.path.join(OUT, 'h200-measurements.csv')
    with open(path, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for name, method, precision, ckpt, seq, batch in grid():
            if time.time() - start > BUDGET_S:
                print('time budget reached, stopping', flush=True)
                break
            if SMALL:
                seq //= 64
            row = run_one(name, MODELS[name], method, precision, ckpt, seq, batch)
            w.writerow(row)
            f.flush()
            print(row, flush=True)
    if DEVICE == 'cuda':
        print('device', torch.cuda.get_device_name(), 'torch', torch.__version__, flush=True)


if __name__ == '__main__':
    main()
