namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Completes a guest-physical-address exit the way uvmm does (ARCH-mips <c>guest.cc</c>, <c>handle_entry</c>
/// cases 1–3 → <c>handle_mmio</c>, then <c>jump_instruction</c>): decode the faulting load/store from
/// <c>BadInstr</c>, perform it on the <see cref="MmioBus"/>, write a load result to its GPR with the right
/// extension, and advance the PC — past the instruction, or, when <c>Cause.BD</c> says the access sat in a
/// branch delay slot, to wherever the branch in <c>BadInstrP</c> goes (including its link register).
/// <para>Little-endian guests (Config0.BE = 0, as the P5600 of the Baikal-T1 and Debian's mipsel port).
/// LWL/LWR/SWL/SWR, which uvmm rejects, are emulated lane-exactly: only the bytes the instruction covers are
/// accessed, split into naturally aligned byte/halfword/word accesses (an uncached partial-word access reaches
/// a device as a bus access with those byte enables), so a byte-register device never sees reads of
/// neighbouring registers.</para>
/// <para>Nothing changes in the registers when the result is not <see cref="MmioResult.Done"/> or
/// <see cref="MmioResult.Skipped"/>; the method never throws for any instruction word or address.</para>
/// </summary>
public static class MmioEmulation
{
    /// <summary>Emulates the faulting access and advances the guest.</summary>
    /// <param name="bus">The MMIO bus.</param>
    /// <param name="vcpu">The vCPU id (for per-CPU register windows).</param>
    /// <param name="address">The guest-physical address of the access (root <c>BadVAddr</c> of the GPA exit).</param>
    /// <param name="badInstr">The faulting instruction (root <c>BadInstr</c>).</param>
    /// <param name="badInstrP">The branch before it when <paramref name="branchDelay"/> (root <c>BadInstrP</c>).</param>
    /// <param name="branchDelay">Root <c>Cause.BD</c>: the access was in a delay slot and <paramref name="pc"/> is the branch's address.</param>
    /// <param name="gpr">The guest's 32 GPRs (updated for loads and link registers).</param>
    /// <param name="pc">The guest PC (EPC of the exit): updated to the next instruction.</param>
    /// <returns>How the exit was completed.</returns>
    public static MmioResult Handle(MmioBus bus, int vcpu, ulong address, uint badInstr, uint badInstrP, bool branchDelay,
        Span<uint> gpr, ref uint pc)
    {
        if (gpr.Length < 32)
            throw new ArgumentException("32 GPRs are required", nameof(gpr));
        var access = MmioDecoder.Decode(badInstr);
        if (access.Kind == MmioAccessKind.Unsupported)
            return MmioResult.Unsupported;

        var outcome = new BranchOutcome(pc + 4, false, -1);
        if (branchDelay && !BranchEvaluator.TryEvaluate(badInstrP, pc, gpr, out outcome))
            return MmioResult.BadBranch;

        if (access.Kind == MmioAccessKind.CacheOp)
        {
            Advance(gpr, ref pc, outcome);
            return MmioResult.Skipped;
        }

        if (access.Kind == MmioAccessKind.Store)
        {
            if (!Store(bus, vcpu, address, access, gpr[access.Register]))
                return MmioResult.Unmapped;
            Advance(gpr, ref pc, outcome);
            return MmioResult.Done;
        }

        if (!Load(bus, vcpu, address, access, gpr[access.Register], out var value))
            return MmioResult.Unmapped;
        // Order as the hardware: the branch (and its link) happened before the delay-slot load wrote rt.
        Advance(gpr, ref pc, outcome);
        if (access.Register != 0)
            gpr[access.Register] = value;
        return MmioResult.Done;
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

    /// <summary>
    /// Moves the PC past the exit's instruction (uvmm <c>Vcpu_ptr::jump_instruction</c>): PC + 4, or — in a delay
    /// slot — wherever the branch in <paramref name="badInstrP"/> goes, writing its link register.
    /// </summary>
    /// <param name="gpr">The 32 GPRs.</param>
    /// <param name="pc">The PC (EPC of the exit).</param>
    /// <param name="branchDelay">Root Cause.BD.</param>
    /// <param name="badInstrP">The branch when <paramref name="branchDelay"/>.</param>
    /// <returns>False (and nothing changed) when Cause.BD is set but the word is not a branch.</returns>
    public static bool SkipInstruction(Span<uint> gpr, ref uint pc, bool branchDelay, uint badInstrP)
    {
        var outcome = new BranchOutcome(pc + 4, false, -1);
        if (branchDelay && !BranchEvaluator.TryEvaluate(badInstrP, pc, gpr, out outcome))
            return false;
        Advance(gpr, ref pc, outcome);
        return true;
    }

    private static void Advance(Span<uint> gpr, ref uint pc, BranchOutcome outcome)
    {
        if (outcome.Links)
            gpr[outcome.LinkRegister] = pc + 8;
        pc = outcome.NextPc;
    }
}
