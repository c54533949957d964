using BenchmarkDotNet.Attributes;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Benchmarks;

/// <summary>
/// The second translation stage a VMM's software TLB falls back to: guest-physical → (dataspace,
/// offset, rights) through a VM's memory space, for pages spread over 128 MiB of guest RAM.
/// </summary>
[MemoryDiagnoser]
public class KernelTranslateBenchmarks
{
    /// <summary>Translations per benchmark invocation.</summary>
    public const int Lookups = 1024;

    private Vm _vm = null!;
    private ulong[] _addresses = null!;

    /// <summary>A VM with 128 MiB of guest RAM at guest-physical 0.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var k = new Microkernel(new KernelOptions { RootQuota = 64L << 20 });
        _vm = k.RootFactory.CreateVm("guest");
        _vm.Attach(new Dataspace(128L << 20, "guest-ram"), 0, MemRights.RWX);
        var rng = new Random(1);
        _addresses = new ulong[Lookups];
        for (var i = 0; i < Lookups; i++)
            _addresses[i] = (ulong)rng.NextInt64(128L << 20);
    }

    /// <summary>1,024 translations of random guest-physical addresses (divide by 1,024 for one).</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public long TranslateGuestPhysical()
    {
        long sum = 0;
        var mem = _vm.Memory;
        foreach (var a in _addresses)
        {
            if (mem.TryTranslate(a, out var t))
                sum += t.Offset;
        }
        return sum;
    }
}
