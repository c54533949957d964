using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Completes a guest-physical-address exit the way uvmm does (ARCH-mips <c>guest.cc</c>, <c>handle_entry</c>
/// cases 1–3 → <c>handle_mmio</c>, then <c>jump_instruction</c>): decode the faulting load/store from
/// <c>BadInstr</c> with the ISA table (<see cref="InstructionDecoder"/>), perform it on the <see cref="MmioBus"/>,
/// let the vCPU continue after it (<see cref="Vcpu.SkipInstruction"/>: PC + 4, or the target of the branch whose
/// delay slot held the access) and write a load result to its GPR with the right extension.
/// <para>Little-endian guests (Config0.BE = 0, as the P5600 of the Baikal-T1 and Debian's mipsel port).
/// LWL/LWR/SWL/SWR, which uvmm rejects, are emulated lane-exactly: only the bytes the instruction covers are
/// accessed, split into naturally aligned byte/halfword/word accesses (an uncached partial-word access reaches
/// a device as a bus access with those byte enables), so a byte-register device never sees reads of
/// neighbouring registers.</para>
/// <para>Nothing changes in the vCPU when the result is not <see cref="MmioResult.Done"/> or
/// <see cref="MmioResult.Skipped"/>; the method never throws for any instruction word or address.</para>
/// </summary>
public static class MmioEmulation
{
    /// <summary>Emulates the access of a GPA exit and moves the vCPU past it.</summary>
    /// <param name="bus">The MMIO bus.</param>
    /// <param name="vcpu">The vCPU that exited (its id selects per-CPU register windows).</param>
    /// <param name="exit">The exit: <see cref="VcpuExit.BadVAddr"/> is the guest-physical address, <see cref="VcpuExit.BadInstr"/> the instruction.</param>
    /// <returns>How the exit was completed.</returns>
    public static MmioResult Handle(MmioBus bus, Vcpu vcpu, in VcpuExit exit)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(vcpu);
        var access = Decode(exit.BadInstr);
        var address = (ulong)exit.BadVAddr;
        switch (access.Kind)
        {
            case MmioAccessKind.CacheOp:
                vcpu.SkipInstruction();
                return MmioResult.Skipped;
            case MmioAccessKind.Store:
                if (!Store(bus, vcpu.Id, address, access, vcpu.GetGpr(access.Register)))
                    return MmioResult.Unmapped;
                vcpu.SkipInstruction();
                return MmioResult.Done;
            case MmioAccessKind.Load:
                if (!Load(bus, vcpu.Id, address, access, vcpu.GetGpr(access.Register), out var value))
                    return MmioResult.Unmapped;
                // Order as the hardware: a branch's link was written before its delay-slot load wrote rt.
                vcpu.SkipInstruction();
                vcpu.SetGpr(access.Register, value);
                return MmioResult.Done;
            default:
                return MmioResult.Unsupported;
        }
    }

    /// <summary>
    /// Decodes the faulting instruction word of a GPA exit with the ISA table, as uvmm's
    /// <c>Mips::Instruction::is_simple_load_store</c> / <c>load_store_width</c> classify it (ARCH-mips
    /// <c>mips_instructions.h</c>), plus LWL/LWR/SWL/SWR.
    /// </summary>
    /// <param name="instruction">The instruction word (root BadInstr).</param>
    /// <returns>The access; <see cref="MmioAccessKind.Unsupported"/> for LL, SC, COP1/COP2 loads and stores and non-memory instructions.</returns>
    public static MmioAccess Decode(uint instruction)
    {
        var rt = (int)(instruction >> 16) & 0x1f;
        return InstructionDecoder.DecodeOp(instruction) switch
        {
            Op.Lb => new(MmioAccessKind.Load, MmioWidth.Byte, true, rt, MmioMerge.None),
            Op.Lbu => new(MmioAccessKind.Load, MmioWidth.Byte, false, rt, MmioMerge.None),
            Op.Lh => new(MmioAccessKind.Load, MmioWidth.HalfWord, true, rt, MmioMerge.None),
            Op.Lhu => new(MmioAccessKind.Load, MmioWidth.HalfWord, false, rt, MmioMerge.None),
            Op.Lw => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.None),
            Op.Lwl => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.Left),
            Op.Lwr => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.Right),
            Op.Sb => new(MmioAccessKind.Store, MmioWidth.Byte, false, rt, MmioMerge.None),
            Op.Sh => new(MmioAccessKind.Store, MmioWidth.HalfWord, false, rt, MmioMerge.None),
            Op.Sw => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.None),
            Op.Swl => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.Left),
            Op.Swr => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.Right),
            Op.Cache or Op.Synci => new(MmioAccessKind.CacheOp, MmioWidth.Word, false, 0, MmioMerge.None),
            _ => MmioAccess.Unsupported,
        };
    }

    /// <summary>Performs a decoded load on the bus and computes the new value of its target register.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="vcpu">vCPU id.</param>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="access">The decoded load.</param>
    /// <param name="old">The register's current value (merged into by LWL/LWR).</param>
    /// <param name="value">The register's new value.</param>
    /// <returns>False when some byte of the access is not covered by a device.</returns>
    public static bool Load(MmioBus bus, int vcpu, ulong address, MmioAccess access, uint old, out uint value)
    {
        value = old;
        if (access.Merge == MmioMerge.None)
        {
            if (!bus.TryRead(address, access.Width, vcpu, out var raw))
                return false;
            value = access.Width switch
            {
                MmioWidth.Byte => access.SignExtend ? (uint)(sbyte)raw : (byte)raw,
                MmioWidth.HalfWord => access.SignExtend ? (uint)(short)raw : (ushort)raw,
                _ => (uint)raw,
            };
            return true;
        }
        var b = (int)(address & 3);
        var (start, length) = Lanes(address, access.Merge);
        if (!ReadLanes(bus, vcpu, start, length, out var lanes))
            return false;
        var word = lanes << (8 * (int)(start & 3)); // the covered bytes at their lanes of the aligned word
        if (access.Merge == MmioMerge.Left)
        {
            var keep = 8 * (3 - b);
            value = (word << keep) | (keep == 0 ? 0 : old & ((1u << keep) - 1));
        }
        else
        {
            var drop = 8 * b;
            value = (word >> drop) | (old & ~(0xffff_ffffu >> drop));
        }
        return true;
    }

    /// <summary>Performs a decoded store on the bus.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="vcpu">vCPU id.</param>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="access">The decoded store.</param>
    /// <param name="value">The register value being stored.</param>
    /// <returns>False when some byte of the access is not covered by a device (nothing is written then).</returns>
    public static bool Store(MmioBus bus, int vcpu, ulong address, MmioAccess access, uint value)
    {
        if (access.Merge == MmioMerge.None)
            return bus.TryWrite(address, access.Width, value, vcpu);
        var b = (int)(address & 3);
        var (start, length) = Lanes(address, access.Merge);
        var data = access.Merge == MmioMerge.Left ? value >> (8 * (3 - b)) : value;
        Span<(ulong Address, MmioWidth Width)> chunks = stackalloc (ulong, MmioWidth)[2];
        var n = Split(start, length, chunks);
        for (var i = 0; i < n; i++)
        {
            if (bus.Find(chunks[i].Address, (ulong)chunks[i].Width) is null)
                return false;
        }
        for (var i = 0; i < n; i++)
            bus.TryWrite(chunks[i].Address, chunks[i].Width, data >> (8 * (int)(chunks[i].Address - start)), vcpu);
        return true;
    }

    /// <summary>The byte range an LWL/SWL (lanes 0..b) or LWR/SWR (lanes b..3) covers on a little-endian CPU.</summary>
    private static (ulong Start, int Length) Lanes(ulong address, MmioMerge merge)
    {
        var b = (int)(address & 3);
        return merge == MmioMerge.Left ? (address & ~3UL, b + 1) : (address, 4 - b);
    }

    private static bool ReadLanes(MmioBus bus, int vcpu, ulong start, int length, out uint value)
    {
        value = 0;
        Span<(ulong Address, MmioWidth Width)> chunks = stackalloc (ulong, MmioWidth)[2];
        var n = Split(start, length, chunks);
        for (var i = 0; i < n; i++)
        {
            if (bus.Find(chunks[i].Address, (ulong)chunks[i].Width) is null)
                return false;
        }
        for (var i = 0; i < n; i++)
        {
            bus.TryRead(chunks[i].Address, chunks[i].Width, vcpu, out var part);
            value |= (uint)part << (8 * (int)(chunks[i].Address - start));
        }
        return true;
    }

    /// <summary>Splits 1–4 bytes inside one aligned word into at most two naturally aligned accesses.</summary>
    private static int Split(ulong start, int length, Span<(ulong Address, MmioWidth Width)> chunks)
    {
        switch (length)
        {
            case 4:
                chunks[0] = (start, MmioWidth.Word);
                return 1;
            case 2 when (start & 1) == 0:
                chunks[0] = (start, MmioWidth.HalfWord);
                return 1;
            case 1:
                chunks[0] = (start, MmioWidth.Byte);
                return 1;
            case 3 when (start & 1) == 0:
                chunks[0] = (start, MmioWidth.HalfWord);
                chunks[1] = (start + 2, MmioWidth.Byte);
                return 2;
            case 3:
                chunks[0] = (start, MmioWidth.Byte);
                chunks[1] = (start + 1, MmioWidth.HalfWord);
                return 2;
            default: // 2 bytes at an odd address cannot occur inside an aligned word for LWL/LWR forms
                chunks[0] = (start, MmioWidth.Byte);
                chunks[1] = (start + 1, MmioWidth.Byte);
                return 2;
        }
    }
}
