using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class TimeoutTests
{
    [Test]
    public void Never_and_zero_have_the_l4_values()
    {
        Assert.That(L4Timeout.Never.Raw, Is.Zero);
        Assert.That(L4Timeout.Zero.Raw, Is.EqualTo(0x400));
        Assert.That(TimeoutPair.Never.Raw, Is.Zero);
        Assert.That(TimeoutPair.ReceiveZero.Raw, Is.EqualTo(0x400u));
        Assert.That(TimeoutPair.SendZero.Raw, Is.EqualTo(0x0400_0000u));
        Assert.That(TimeoutPair.BothZero.Raw, Is.EqualTo(0x0400_0400u));
    }

    [Test]
    public void Relative_timeout_is_mantissa_times_two_to_the_exponent()
    {
        var t = L4Timeout.Relative(1000, 3);
        Assert.That(t.Raw, Is.EqualTo((3 << 10) | 1000));
        Assert.That(t.RelativeMicroseconds, Is.EqualTo(8000UL));
        Assert.That(t.Deadline(500, default), Is.EqualTo(8500UL));
    }

    [Test]
    public void Zero_mantissa_is_already_expired_as_in_fiasco()
    {
        Assert.That(L4Timeout.Relative(0, 5).Deadline(1234, default), Is.Zero);
    }

    [Test]
    public void Absolute_timeout_reads_the_buffer_register()
    {
        var brs = new ulong[58];
        brs[5] = 99_000;
        var t = L4Timeout.Absolute(5);
        Assert.That(t.IsAbsolute, Is.True);
        Assert.That(t.Deadline(0, brs), Is.EqualTo(99_000UL));
        brs[57] = 7;
        Assert.That(L4Timeout.Absolute(63).Deadline(0, brs), Is.EqualTo(7UL), "index clamped to the last buffer register");
    }

    [TestCase(0UL, (ushort)0x400)]
    [TestCase(1UL, (ushort)1)]
    [TestCase(1023UL, (ushort)1023)]
    [TestCase(1024UL, (ushort)((1 << 10) | 512))]
    [TestCase(1UL << 41, (ushort)0)]
    public void From_microseconds_matches_l4_timeout_from_us(ulong us, ushort raw) =>
        Assert.That(L4Timeout.FromMicroseconds(us).Raw, Is.EqualTo(raw));

    [FsCheck.NUnit.Property]
    public Property From_microseconds_never_returns_early(ulong us)
    {
        var v = us % L4Timeout.MaxMicroseconds + 1;
        var t = L4Timeout.FromMicroseconds(v);
        return (t.RelativeMicroseconds >= v && t.RelativeMicroseconds - v <= (v >> 9) + 1 && !t.IsAbsolute).ToProperty();
    }

    [FsCheck.NUnit.Property]
    public Property Pair_round_trips(ushort snd, ushort rcv)
    {
        var p = new TimeoutPair(new L4Timeout(snd), new L4Timeout(rcv));
        return (p.Send.Raw == snd && p.Receive.Raw == rcv && p.Raw == ((uint)snd << 16 | rcv)).ToProperty();
    }
}
