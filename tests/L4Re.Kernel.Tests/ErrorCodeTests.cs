using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class ErrorCodeTests
{
    [Test]
    public void Ipc_error_codes_have_the_l4_ipc_values()
    {
        Assert.That((byte)IpcErrorCode.NotExistent, Is.EqualTo(4));
        Assert.That((byte)IpcErrorCode.SeTimeout, Is.EqualTo(2));
        Assert.That((byte)IpcErrorCode.ReTimeout, Is.EqualTo(3));
        Assert.That((byte)IpcErrorCode.SeCanceled, Is.EqualTo(6));
        Assert.That((byte)IpcErrorCode.ReCanceled, Is.EqualTo(7));
        Assert.That((byte)IpcErrorCode.SeMsgCut, Is.EqualTo(8));
        Assert.That((byte)IpcErrorCode.ReMsgCut, Is.EqualTo(9));
        Assert.That((byte)IpcErrorCode.SeAborted, Is.EqualTo(0xe));
        Assert.That((byte)IpcErrorCode.ReMapFailed, Is.EqualTo(0x11));
        Assert.That((byte)IpcErrorCode.NoReplyCap, Is.EqualTo(0x13));
    }

    [Test]
    public void Generic_errors_have_the_l4_values()
    {
        Assert.That((int)L4Error.Perm, Is.EqualTo(1));
        Assert.That((int)L4Error.NoMem, Is.EqualTo(12));
        Assert.That((int)L4Error.Inval, Is.EqualTo(22));
        Assert.That((int)L4Error.NoSys, Is.EqualTo(38));
        Assert.That((int)L4Error.BadProto, Is.EqualTo(39));
        Assert.That((int)L4Error.MsgTooShort, Is.EqualTo(1001));
        Assert.That(MsgTag.FromError(L4Error.Perm).Label, Is.EqualTo(-1));
        Assert.That(MsgTag.FromError(L4Error.Perm).ResultError, Is.EqualTo(L4Error.Perm));
    }

    [Test]
    public void Error_word_phase_bit()
    {
        var w = IpcErrorWord.Send(IpcErrorCode.SeMsgCut).AsReceivePhase();
        Assert.That(w.Code, Is.EqualTo(IpcErrorCode.ReMsgCut));
        Assert.That(w.IsSendPhase, Is.False);
        Assert.That(IpcErrorWord.Receive(IpcErrorCode.SeTimeout).Code, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(new IpcErrorWord(0x100).IsEmptyMap, Is.True);
        Assert.That(new IpcErrorWord(0x100).IsOk, Is.True, "the empty-map marker is not an error");
        Assert.That(new IpcErrorWord(0x104).Code, Is.EqualTo(IpcErrorCode.NotExistent));
    }

    [FsCheck.NUnit.Property]
    public Property Error_word_decodes_any_value(ulong raw)
    {
        var w = new IpcErrorWord(raw);
        return ((ulong)w.Code == (raw & 0x1f) && w.IsSendPhase == ((raw & 1) == 0)).ToProperty();
    }
}
